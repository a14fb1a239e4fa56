import { workspaceIsActive } from '../../access/guards';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { domainClaimKey, verifiedDomainKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { claimChanged, claimUnchanged } from './claims';
import { challengeLabel, checkRecord, type RecordCheck } from './dns';
import {
  type Domain,
  type DomainClaimItem,
  domainCheckActor,
  domainSettings,
  domainTarget,
  statusOf,
  toDomain,
  type VerifiedDomainItem,
} from './items';
import { declineLeftoverRequests } from './requests';

/** A failed lookup is worth retrying within the minute. */
const dnsRetryAfterSeconds = 60;

/** The error that says what is wrong with the record, so that the person can fix it. */
function recordError(check: Exclude<RecordCheck, { result: 'found' }>): AppError {
  switch (check.result) {
    case 'failed':
      return new AppError('DNS_LOOKUP_FAILED', undefined, { retryAfterSeconds: dnsRetryAfterSeconds });
    case 'notFound':
      return new AppError(
        'DOMAIN_RECORD_NOT_FOUND',
        `No TXT record was found at ${check.name}. Publish the record at your DNS provider; changes can take up to 72 hours to be seen.`,
      );
    case 'mismatch':
      return new AppError(
        'DOMAIN_RECORD_MISMATCH',
        `${check.found} TXT record${check.found === 1 ? ' was' : 's were'} found at ${check.name}, but none is ${check.expected}. Check the value, copied whole.`,
      );
    case 'misplaced':
      return new AppError(
        'DOMAIN_RECORD_MISPLACED',
        `The record was published at ${check.publishedAt}, with the domain written twice: your DNS console adds the domain itself, so enter only ${challengeLabel} as the name.`,
      );
  }
}

/**
 * Proves the claim: the record is looked up, and the workspace becomes the
 * domain's one holder in the same transaction as the claim turns verified.
 * Whoever verifies first wins; a lapsed holder gives way (its claim is
 * removed in that transaction). Verifying a lapsed claim restores it;
 * verifying a verified one records that the record was seen.
 */
export async function verifyDomain(
  claim: DomainClaimItem,
  holder: VerifiedDomainItem | undefined,
  context: RequestContext,
): Promise<Domain> {
  const { now } = context;
  const { workspaceId, domain } = claim;
  const status = statusOf(claim, now);
  if (status === 'expired') throw new AppError('DOMAIN_CLAIM_EXPIRED');
  const otherHolder = holder && holder.workspaceId !== workspaceId ? holder : undefined;
  if (otherHolder?.status === 'verified') throw new AppError('DOMAIN_TAKEN');

  const check = await checkRecord(domain, claim.token, { diagnose: true });
  if (check.result !== 'found') throw recordError(check);

  const at = now.toISOString();
  const verified: DomainClaimItem = {
    ...claim,
    status: 'verified',
    // First verified then; a restore or a re-verification keeps it (lastSeenAt says when the record was seen).
    verifiedAt: claim.verifiedAt ?? at,
    lastCheckedAt: at,
    lastSeenAt: at,
    revision: claim.revision + 1,
  };
  const unchanged = claimUnchanged(claim);
  const takeover = otherHolder ? takeOver(otherHolder, context) : [];
  await transact([
    {
      put: {
        Item: {
          ...verifiedDomainKey(domain),
          domain,
          workspaceId,
          status: 'verified',
          joinPolicy: claim.joinPolicy,
          includeSubdomains: claim.includeSubdomains,
        } satisfies VerifiedDomainItem & Record<string, unknown>,
        // Nobody else holds it, or the lapsed holder read is still the one.
        ConditionExpression: `attribute_not_exists(PK) OR workspaceId = :me${
          otherHolder ? ' OR (workspaceId = :previous AND #status = :lapsed)' : ''
        }`,
        ...(otherHolder ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: {
          ':me': workspaceId,
          ...(otherHolder ? { ':previous': otherHolder.workspaceId, ':lapsed': 'lapsed' } : {}),
        },
      },
      onConditionFailed: () => new AppError('DOMAIN_TAKEN'),
    },
    {
      update: {
        Key: domainClaimKey(workspaceId, domain),
        UpdateExpression:
          'SET #status = :verified, verifiedAt = :verifiedAt, lastCheckedAt = :now, lastSeenAt = :now, revision = :next REMOVE lapsedAt',
        ConditionExpression: `${unchanged.ConditionExpression}${status === 'pending' ? ' AND expiresAt > :now' : ''}`,
        ExpressionAttributeNames: { ...unchanged.ExpressionAttributeNames, '#status': 'status' },
        ExpressionAttributeValues: {
          ...unchanged.ExpressionAttributeValues,
          ':verified': 'verified',
          ':verifiedAt': verified.verifiedAt,
          ':now': at,
          ':next': verified.revision,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) =>
        current?.revision === claim.revision && current?.token === claim.token
          ? new AppError('DOMAIN_CLAIM_EXPIRED')
          : claimChanged(current),
    },
    workspaceIsActive(workspaceId),
    ...takeover,
    auditStep({
      ...context,
      workspaceId,
      action: status === 'lapsed' ? 'domain.restored' : 'domain.verified',
      target: domainTarget(domain),
      before: domainSettings({ ...claim, status }),
      after: { ...domainSettings(verified), verifiedAt: verified.verifiedAt },
    }),
  ]);
  if (otherHolder) {
    await declineLeftoverRequests(otherHolder.workspaceId, domain, { ...context, caller: domainCheckActor });
  }
  return toDomain(verified, now);
}

/** The lapsed holder's claim goes, in the new holder's transaction; its own log says so, without naming who. */
function takeOver(previous: VerifiedDomainItem, context: RequestContext): TransactStep[] {
  return [
    {
      delete: {
        Key: domainClaimKey(previous.workspaceId, previous.domain),
        ConditionExpression: '#status = :lapsed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':lapsed': 'lapsed' },
      },
      // Its claim was removed or restored meanwhile: the domain is no longer what was read.
      onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
    },
    auditStep({
      ...context,
      caller: domainCheckActor,
      workspaceId: previous.workspaceId,
      action: 'domain.removed',
      target: domainTarget(previous.domain),
      before: domainSettings(previous),
      after: { reason: 'verifiedElsewhere' },
    }),
  ];
}
