import * as z from 'zod/mini';
import { idString, isoTime, pageQuery } from './common';

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

export const listAuditQuery = z.object({
  action: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  actor: z.optional(idString('User id of the actor')),
  ...pageQuery,
});
