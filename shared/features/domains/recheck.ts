import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import { mapWithConcurrency } from '../../core/concurrency';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { hourMs } from '../../core/time';
import { getConsistent } from '../../db/batch';
import { dynamo, tableName } from '../../db/client';
import {
  claimedDomainsPartition,
  domainClaimKey,
  jobCheckpointKey,
  memberRolePartition,
  workspaceKey,
} from '../../db/keys';
import { listAll } from '../../db/query';
import type { TransactStep } from '../../db/steps';
import { gsi1, gsi2 } from '../../db/table';
import { transact } from '../../db/transact';
import { appUrl } from '../../email/links';
import { newMessageId, queueEmail } from '../../email/outbox';
import { auditStep } from '../audit/events';
import { claimUnchanged, updateHolder } from './claims';
import { challengeName, challengeValue, checkRecord } from './dns';
import { type DomainClaimItem, domainCheckActor, domainSettings, domainTarget } from './items';
import { lapseEmail } from './lapse-email';

/** How long a verified domain's record may be missing before the domain lapses: 72 hours unless configured. */
const graceMs = () => Number(process.env.DOMAIN_GRACE_HOURS ?? 72) * hourMs;
/** DNS lookups in flight at once: the resolver and the domains' name servers are not flooded. */
const lookupConcurrency = () => Number(process.env.DOMAIN_CHECK_CONCURRENCY ?? 16);
const checkpointKey = jobCheckpointKey('domain-check');
/** Claims read per page of the list. */
const pageSize = 100;
/** A transaction holds at most 100 items: the state change and its audit take three. */
const maxLapseRecipients = 90;

export interface RecheckSummary {
  checked: number;
  seen: number;
  missing: number;
  lookupsFailed: number;
  lapsed: number;
  restored: number;
  expired: number;
  emailsQueued: number;
  /** Stopped early to stay within the function's time: the rest waits for the next run. */
  incomplete: boolean;
}

type Outcome = 'seen' | 'missing' | 'failed' | 'lapsed' | 'restored' | 'expired' | 'skipped';

/**
 * The daily check that keeps every claim true: pending claims past 7 days
 * expire; verified and lapsed domains are looked up again, recording
 * `lastCheckedAt` and, when the record is there, `lastSeenAt`; a record gone
 * longer than the grace period lapses the domain (Owners and Admins are
 * emailed); a lapsed domain whose record is back is restored. It pages
 * through the list of claimed domains (a Query, never a Scan). Every write is
 * conditioned on the claim as read, so two runs at once, or one run twice,
 * change each claim once: a lapse emails once.
 */
export async function recheckDomains(options: {
  now: Date;
  hasTimeLeft?: () => boolean;
}): Promise<RecheckSummary> {
  const summary: RecheckSummary = {
    checked: 0,
    seen: 0,
    missing: 0,
    lookupsFailed: 0,
    lapsed: 0,
    restored: 0,
    expired: 0,
    emailsQueued: 0,
    incomplete: false,
  };
  const context: RequestContext = {
    caller: domainCheckActor,
    requestId: `domain-check-${options.now.toISOString()}`,
    now: options.now,
  };
  // A run that stopped early left where it was: this one goes on from there, so no claim waits behind others.
  let startKey = (await getConsistent<{ resumeAt: Record<string, unknown> }>(checkpointKey))?.resumeAt;
  do {
    if (options.hasTimeLeft && !options.hasTimeLeft()) {
      summary.incomplete = true;
      if (startKey) {
        await dynamo.send(
          new PutCommand({ TableName: tableName, Item: { ...checkpointKey, resumeAt: startKey } }),
        );
      }
      logger.warn('Domain check stopped early; the next run goes on from here', { checked: summary.checked });
      return summary;
    }
    const page = await dynamo.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: gsi1,
        KeyConditionExpression: 'GSI1PK = :list',
        ExpressionAttributeValues: { ':list': claimedDomainsPartition },
        Limit: pageSize,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const claims = (page.Items ?? []) as DomainClaimItem[];
    const outcomes = await mapWithConcurrency(claims, lookupConcurrency(), (claim) =>
      checkClaim(claim, context, summary).catch((error: unknown) => {
        logger.error('Domain check failed for one claim', {
          workspaceId: claim.workspaceId,
          error: error as Error,
        });
        return 'skipped' as const;
      }),
    );
    for (const outcome of outcomes) {
      if (outcome !== 'skipped' && outcome !== 'expired') summary.checked += 1;
      if (outcome === 'seen' || outcome === 'restored') summary.seen += 1;
      if (outcome === 'missing' || outcome === 'lapsed') summary.missing += 1;
      if (outcome === 'failed') summary.lookupsFailed += 1;
      if (outcome === 'lapsed') summary.lapsed += 1;
      if (outcome === 'restored') summary.restored += 1;
      if (outcome === 'expired') summary.expired += 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  await dynamo.send(new DeleteCommand({ TableName: tableName, Key: checkpointKey }));
  return summary;
}

/** A write that found the claim changed since it was read: another run or a person got there first. */
const changedMeanwhile = (error: unknown) =>
  (error as Error).name === 'ConditionalCheckFailedException' ||
  (error instanceof AppError && error.code === 'CONCURRENT_UPDATE');

async function checkClaim(
  claim: DomainClaimItem,
  context: RequestContext,
  summary: RecheckSummary,
): Promise<Outcome> {
  const { now } = context;
  const at = now.toISOString();
  try {
    if (claim.status === 'pending' || claim.status === 'expired') {
      if (claim.status === 'pending' && Date.parse(claim.expiresAt) > now.getTime()) return 'skipped';
      await updateClaim(claim, 'SET #status = :expired, revision = :next REMOVE GSI1PK, GSI1SK', {
        ':expired': 'expired',
      });
      return 'expired';
    }
    const check = await checkRecord(claim.domain, claim.token, { diagnose: false });
    if (check.result === 'failed') return 'failed';
    if (check.result === 'found') {
      if (claim.status === 'lapsed') {
        await transact(leaseSteps(claim, 'verified', context));
        return 'restored';
      }
      await updateClaim(
        claim,
        'SET lastCheckedAt = :now, lastSeenAt = :now',
        { ':now': at },
        { keepRevision: true },
      );
      return 'seen';
    }
    const lastSeen = Date.parse(claim.lastSeenAt ?? claim.verifiedAt ?? claim.claimedAt);
    if (claim.status === 'verified' && now.getTime() - lastSeen > graceMs()) {
      const emails = await lapseEmails(claim, now);
      await transact([...leaseSteps(claim, 'lapsed', context), ...emails]);
      summary.emailsQueued += emails.length;
      return 'lapsed';
    }
    await updateClaim(claim, 'SET lastCheckedAt = :now', { ':now': at }, { keepRevision: true });
    return 'missing';
  } catch (error) {
    if (changedMeanwhile(error)) return 'skipped';
    throw error;
  }
}

/** One claim's update, if the claim is still as read. */
async function updateClaim(
  claim: DomainClaimItem,
  expression: string,
  values: Record<string, unknown>,
  options: { keepRevision?: boolean } = {},
): Promise<void> {
  const unchanged = claimUnchanged(claim);
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName,
      Key: domainClaimKey(claim.workspaceId, claim.domain),
      UpdateExpression: expression,
      ConditionExpression: unchanged.ConditionExpression,
      ExpressionAttributeNames: {
        ...unchanged.ExpressionAttributeNames,
        ...(expression.includes('#status') ? { '#status': 'status' } : {}),
      },
      ExpressionAttributeValues: {
        ...unchanged.ExpressionAttributeValues,
        ...values,
        ...(options.keepRevision ? {} : { ':next': claim.revision + 1 }),
      },
    }),
  );
}

function claimMove(claim: DomainClaimItem, status: 'verified' | 'lapsed', at: string): TransactStep {
  const unchanged = claimUnchanged(claim);
  return {
    update: {
      Key: domainClaimKey(claim.workspaceId, claim.domain),
      UpdateExpression:
        status === 'lapsed'
          ? 'SET #status = :status, lapsedAt = :now, lastCheckedAt = :now, revision = :next'
          : 'SET #status = :status, lastCheckedAt = :now, lastSeenAt = :now, revision = :next REMOVE lapsedAt',
      ConditionExpression: unchanged.ConditionExpression,
      ExpressionAttributeNames: { ...unchanged.ExpressionAttributeNames, '#status': 'status' },
      ExpressionAttributeValues: {
        ...unchanged.ExpressionAttributeValues,
        ':status': status,
        ':now': at,
        ':next': claim.revision + 1,
      },
    },
  };
}

/** The claim and its holder to `status` (lapsed, or verified again), with `domain.lapsed` or `domain.restored`. */
function leaseSteps(
  claim: DomainClaimItem,
  status: 'verified' | 'lapsed',
  context: RequestContext,
): TransactStep[] {
  return [
    claimMove(claim, status, context.now.toISOString()),
    updateHolder(claim.domain, claim.workspaceId, { status }),
    auditStep({
      ...context,
      workspaceId: claim.workspaceId,
      action: status === 'lapsed' ? 'domain.lapsed' : 'domain.restored',
      target: domainTarget(claim.domain),
      before: domainSettings(claim),
      after: {
        ...domainSettings({ ...claim, status }),
        ...(status === 'lapsed' ? { lastSeenAt: claim.lastSeenAt ?? null } : {}),
      },
    }),
  ];
}

/** The lapse email to each Owner and Admin (owners first), queued with the lapse itself. */
async function lapseEmails(claim: DomainClaimItem, now: Date): Promise<TransactStep[]> {
  const [workspace, owners, admins] = await Promise.all([
    getConsistent<WorkspaceItem>(workspaceKey(claim.workspaceId)),
    listAll<MemberItem>({ index: gsi2, partition: memberRolePartition(claim.workspaceId, 'owner') }),
    listAll<MemberItem>({ index: gsi2, partition: memberRolePartition(claim.workspaceId, 'admin') }),
  ]);
  const recipients = [...owners, ...admins].filter((member) => member.email);
  if (recipients.length > maxLapseRecipients) {
    logger.warn('Lapse email sent to the first owners and admins only', {
      workspaceId: claim.workspaceId,
      count: recipients.length,
    });
  }
  return recipients.slice(0, maxLapseRecipients).map((member) =>
    queueEmail({
      messageId: newMessageId(now),
      workspaceId: claim.workspaceId,
      message: lapseEmail({
        to: member.email,
        workspaceName: workspace?.name ?? 'your workspace',
        domain: claim.domain,
        record: { name: challengeName(claim.domain), value: challengeValue(claim.token) },
        lastSeenAt: claim.lastSeenAt ? new Date(claim.lastSeenAt) : undefined,
        appUrl: appUrl(),
      }),
      now,
    }),
  );
}
