import * as z from 'zod/mini';
import { idString, isoTime, pageQuery, roleSchema } from './common';

export const numberAccessLevels = ['exclusive', 'shared', 'read-only'] as const;

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

export const listMembersQuery = z.object({ role: z.optional(roleSchema), ...pageQuery });

export const updateMemberBody = z.strictObject({ role: roleSchema });

export const removeMemberQuery = z.object({
  reassignNumbersTo: z.optional(idString('Member who receives the removed member’s numbers (default: you)')),
});

export const transferResultSchema = z.object({ from: memberSchema, to: memberSchema });
