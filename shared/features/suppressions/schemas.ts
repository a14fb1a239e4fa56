import * as z from 'zod/mini';
import { maxEmailLength } from '../../core/text';
import { isoTime, workspaceIdParam } from '../../http/schemas';

export const suppressedAddressSchema = z.object({
  email: z.string(),
  reason: z
    .enum(['bounce', 'complaint'])
    .check(z.describe('bounce: a hard bounce (the address does not exist); complaint: reported as spam')),
  suppressedAt: isoTime,
});

export const suppressedAddressParams = z.strictObject({
  workspaceId: workspaceIdParam,
  email: z.email().check(z.maxLength(maxEmailLength), z.describe('The suppressed address (any case)')),
});
