import * as z from 'zod/mini';
import { numberAccessLevels } from '../../access/roles';
import { idString, isoTime, pageQuery, roleSchema, workspaceIdParam } from '../../http/schemas';

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  phoneNumbers: z.array(z.object({ id: z.string(), number: z.string(), access: z.enum(numberAccessLevels) })),
  lastActiveAt: z.nullable(isoTime),
  joinedAt: isoTime,
  pendingNumberChoice: z
    .boolean()
    .check(z.describe('Invited with a new number to pick: true until they choose it during onboarding')),
});

export const memberParams = z.strictObject({
  workspaceId: workspaceIdParam,
  userId: idString('User id (the identity provider’s sub)'),
});

export const listMembersQuery = z.strictObject({ role: z.optional(roleSchema), ...pageQuery });

export const updateMemberBody = z.strictObject({ role: roleSchema });

export const removeMemberQuery = z.strictObject({
  reassignNumbersTo: z.optional(idString('Member who receives the removed member’s numbers (default: you)')),
});

export const transferBody = z.strictObject({ userId: idString('The member who becomes an owner') });

export const transferResultSchema = z.object({ from: memberSchema, to: memberSchema });
