import * as z from 'zod/mini';
import { numberAccessLevels } from '../../access/roles';
import { idString, isoTime, pageQuery, roleSchema, workspaceIdParam } from '../../http/schemas';
import { hoursSchema } from '../numbers/hours';

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
  availability: z.nullable(hoursSchema).check(z.describe('When routing may ring them; null: always')),
});

export const memberParams = z.strictObject({
  workspaceId: workspaceIdParam,
  userId: idString('User id (the identity provider’s sub)'),
});

export const listMembersQuery = z.strictObject({ role: z.optional(roleSchema), ...pageQuery });

export const updateMemberBody = z.strictObject({ role: roleSchema });

const flag = (description: string) => z.optional(z.enum(['true', 'false']).check(z.describe(description)));

export const removeMemberQuery = z.strictObject({
  reassignNumbersTo: z.optional(
    idString('Member who receives the numbers only the removed member used (default: you)'),
  ),
  unassignNumbers: flag('true: the numbers only the removed member used stay with nobody'),
  hideHistory: flag('true: whoever receives a number sees only conversations from now on'),
});

export const availabilityBody = z.strictObject({
  availability: z
    .nullable(hoursSchema)
    .check(
      z.describe(
        'When routing may ring this member (null: always); at most 2 KB, as it is copied onto each number held',
      ),
    ),
});

export const transferBody = z.strictObject({ userId: idString('The member who becomes an owner') });

export const transferResultSchema = z.object({ from: memberSchema, to: memberSchema });
