import { randomBytes } from 'node:crypto';
import { requireActive, workspaceIsActive } from '../../access/guards';
import type { WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { verifiedDomainKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import {
  claimValidityMs,
  type Domain,
  type DomainClaimItem,
  domainClaimRecord,
  domainSettings,
  domainTarget,
  toDomain,
} from './items';

/** 128 random bits, unpadded base64url. */
const newToken = () => randomBytes(16).toString('base64url');

/**
 * A new pending claim with a new token. Refused when another workspace has
 * verified the domain (checked first), or when this workspace already has it
 * in any status but expired; an expired claim is replaced.
 */
export async function claimDomain(
  workspace: WorkspaceItem,
  domain: string,
  context: RequestContext,
): Promise<Domain> {
  requireActive(workspace);
  const { now } = context;
  const at = now.toISOString();
  const claim: DomainClaimItem = {
    workspaceId: workspace.id,
    domain,
    status: 'pending',
    joinPolicy: 'automatic',
    includeSubdomains: false,
    token: newToken(),
    claimedAt: at,
    claimedBy: { userId: context.caller.userId },
    expiresAt: new Date(now.getTime() + claimValidityMs).toISOString(),
    revision: 1,
  };
  await transact([
    {
      check: {
        Key: verifiedDomainKey(domain),
        ConditionExpression: 'attribute_not_exists(PK) OR workspaceId = :me OR #status <> :verified',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':me': workspace.id, ':verified': 'verified' },
      },
      onConditionFailed: () => new AppError('DOMAIN_TAKEN'),
    },
    {
      put: {
        Item: domainClaimRecord(claim),
        // An expired claim (stored so, or pending past its expiry) gives way to the new one.
        ConditionExpression:
          'attribute_not_exists(PK) OR #status = :expired OR (#status = :pending AND expiresAt <= :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':expired': 'expired', ':pending': 'pending', ':now': at },
      },
      onConditionFailed: () => new AppError('DOMAIN_ALREADY_CLAIMED'),
    },
    workspaceIsActive(workspace.id),
    auditStep({
      ...context,
      workspaceId: workspace.id,
      action: 'domain.claimed',
      target: domainTarget(domain),
      before: null,
      after: { ...domainSettings(claim), expiresAt: claim.expiresAt },
    }),
  ]);
  return toDomain(claim, now);
}
