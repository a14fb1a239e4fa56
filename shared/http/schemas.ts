import * as z from 'zod/mini';
import { roles } from '../access/roles';
import { maxIdLength } from '../core/text';

export const idString = (description: string) =>
  z.string().check(z.minLength(1), z.maxLength(maxIdLength), z.describe(description));

export const roleSchema = z.enum(roles);
export const isoTime = z.string().check(z.describe('ISO-8601 UTC time'));

/** `limit` and `after` of every list, as the contract fixes them. */
export const pageQuery = {
  limit: z._default(
    z.pipe(
      // Plain digits only: no "0x10", "1e1" or spaces.
      z.string().check(z.regex(/^[0-9]{1,3}$/, { error: 'Use a whole number from 1 to 100.' })),
      z.coerce.number<string>().check(z.int(), z.minimum(1), z.maximum(100)),
    ),
    20,
  ),
  after: z.optional(
    z.string().check(z.minLength(1), z.maxLength(2048), z.describe('nextCursor of the previous page')),
  ),
};

/** A query of only `limit` and `after`; any other parameter is refused by name. */
export const pageOnlyQuery = z.strictObject({ ...pageQuery });

export const noInput = z.strictObject({});

export const workspaceIdParam = idString('Workspace id (WS…)');
export const workspaceParams = z.strictObject({ workspaceId: workspaceIdParam });

/** Response envelopes of the contract. */
export const itemEnvelope = <T extends z.ZodMiniType>(schema: T) => z.object({ data: schema });
export const listEnvelope = <T extends z.ZodMiniType>(schema: T) =>
  z.object({ data: z.array(schema), nextCursor: z.nullable(z.string()) });

export const errorSchema = z.object({
  title: z.string(),
  code: z.string(),
  message: z.string(),
  errors: z.optional(
    z.array(
      z.object({
        path: z.string(),
        message: z.string(),
        code: z.optional(z.string().check(z.describe('In a batch: why this item was refused'))),
      }),
    ),
  ),
  requestId: z.string(),
});
