import * as z from 'zod/mini';
import { maxEmailLength } from '../../core/text';
import { idString, isoTime, pageQuery, workspaceIdParam } from '../../http/schemas';
import { asciiDomainPattern } from './addresses';
import { domainStatuses, joinPolicies, joinRequestStatuses } from './items';

const domainParam = z.string().check(
  z.regex(asciiDomainPattern, {
    error: 'Give the domain in its ASCII form, lower case, without a trailing dot (xn--bcher-kva.example).',
  }),
  z.describe('The claimed domain, ASCII (punycode) and lower case'),
);

export const domainParams = z.strictObject({ workspaceId: workspaceIdParam, domain: domainParam });

export const claimDomainBody = z.strictObject({
  email: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(maxEmailLength),
      z.describe('An address at the domain to claim (it need not be yours: the DNS record is the proof)'),
    ),
});

export const updateDomainBody = z.strictObject({
  joinPolicy: z.optional(
    z
      .enum(joinPolicies)
      .check(
        z.describe(
          'automatic: join at once; approval: an owner or admin approves each request; off: nobody joins',
        ),
      ),
  ),
  includeSubdomains: z.optional(
    z.boolean().check(z.describe('Addresses at subdomains (eu.acme.com) match too')),
  ),
});

export const domainSchema = z.object({
  domain: z.string(),
  status: z.enum(domainStatuses),
  joinPolicy: z.enum(joinPolicies),
  includeSubdomains: z.boolean(),
  record: z.object({
    type: z.literal('TXT'),
    name: z.string().check(z.describe('Where to publish the record: _switchboard-challenge.<domain>')),
    value: z.string().check(z.describe('The whole value to publish: switchboard-verification=<token>')),
  }),
  claimedAt: isoTime,
  claimedBy: z.object({ userId: z.string() }),
  expiresAt: z
    .nullable(isoTime)
    .check(z.describe('Until when a pending claim can be verified (pending only)')),
  verifiedAt: z.nullable(isoTime),
  lastCheckedAt: z.nullable(isoTime),
  lastSeenAt: z.nullable(isoTime),
  notice: z
    .string()
    .check(z.describe('Who will be able to join, and what it costs: read it before verifying')),
});

export const joinableWorkspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  memberCount: z.number(),
  domain: z.string(),
  joinPolicy: z.enum(joinPolicies),
});

export const joinRequestSchema = z.object({
  workspaceId: z.string(),
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  domain: z.string(),
  status: z.enum(joinRequestStatuses),
  createdAt: isoTime,
  decidedAt: z.nullable(isoTime),
  decidedBy: z.nullable(z.object({ userId: z.string() })),
});

export const listJoinRequestsQuery = z.strictObject({
  ...pageQuery,
  status: z.optional(z.enum(joinRequestStatuses)),
});

export const joinRequestParams = z.strictObject({
  workspaceId: workspaceIdParam,
  userId: idString('User id of the requester'),
});
