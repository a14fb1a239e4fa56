import * as z from 'zod/mini';
import { idString, isoTime, pageQuery } from '../../http/schemas';

export const auditEventSchema = z.object({
  id: z.string(),
  at: isoTime,
  actor: z.object({ userId: z.string(), email: z.string() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  before: z.nullable(z.record(z.string(), z.unknown())),
  after: z.nullable(z.record(z.string(), z.unknown())),
  requestId: z.string(),
});

export const listAuditQuery = z.strictObject({
  action: z.optional(
    z
      .string()
      .check(z.minLength(1), z.maxLength(64), z.describe('Only events of this action, e.g. member.joined')),
  ),
  actor: z.optional(idString('Only events by this user id')),
  ...pageQuery,
});
