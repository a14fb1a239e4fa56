import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../../core/concurrency';
import type { RequestContext } from '../../core/context';
import { logger } from '../../core/logger';
import { dynamo, tableName } from '../../db/client';
import { renewalsPartition } from '../../db/keys';
import { gsi1 } from '../../db/table';
import { billedTransact } from './account';
import { renewThrough } from './ledger';
import { dayOf } from './proration';

/** Due renewals read per page of the list. */
const pageSize = 100;
/** Renewals written at once: each is one BatchGetItem and one transaction. */
const concurrency = 8;

export interface RenewalSummary {
  /** Subscriptions on the list whose period had ended by today. */
  due: number;
  /** Renewed by this run (the others were renewed meanwhile, or cancelled). */
  renewed: number;
  failed: number;
  /** Stopped early to stay within the function's time: the rest waits for the next run. */
  incomplete: boolean;
}

type Outcome = 'renewed' | 'unchanged' | 'failed';

/**
 * The daily renewal: every subscription whose period ended by `now`'s day
 * starts its next period, charging its seats and extra numbers at the annual
 * price, paid from credit first. It pages through the list of renewing
 * subscriptions by period end (a Query up to today, never a Scan). Each
 * renewal is a billed change of its own, conditioned on the billing item's
 * revision, and renews only periods that have ended: a run twice, two runs
 * at once, or a change that renewed first, all leave one renewal per period.
 * A renewed subscription leaves the due range, so no checkpoint is needed.
 */
export async function renewSubscriptions(options: {
  now: Date;
  hasTimeLeft?: () => boolean;
}): Promise<RenewalSummary> {
  const summary: RenewalSummary = { due: 0, renewed: 0, failed: 0, incomplete: false };
  const context: Pick<RequestContext, 'now'> = { now: options.now };
  const today = dayOf(options.now);
  let startKey: Record<string, unknown> | undefined;
  do {
    if (options.hasTimeLeft && !options.hasTimeLeft()) {
      summary.incomplete = true;
      logger.warn('Renewal stopped early; the next run goes on', { renewed: summary.renewed });
      return summary;
    }
    const page = await dynamo.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: gsi1,
        // Sort keys are `<periodEnd>#<workspaceId>`: every period that ended on or before today.
        KeyConditionExpression: 'GSI1PK = :list AND GSI1SK < :after',
        ExpressionAttributeValues: { ':list': renewalsPartition, ':after': `${today}$` },
        ProjectionExpression: 'workspaceId',
        Limit: pageSize,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const due = (page.Items ?? []) as { workspaceId: string }[];
    summary.due += due.length;
    const outcomes = await mapWithConcurrency(due, concurrency, ({ workspaceId }) =>
      renewOne(workspaceId, context),
    );
    for (const outcome of outcomes) {
      if (outcome === 'renewed') summary.renewed += 1;
      if (outcome === 'failed') summary.failed += 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return summary;
}

/** One subscription's renewal, priced on its billing item as read now (the index may lag behind it). */
async function renewOne(workspaceId: string, context: Pick<RequestContext, 'now'>): Promise<Outcome> {
  let renewed = false;
  try {
    await billedTransact(
      workspaceId,
      (account, day) => {
        const billed = renewThrough(account, day);
        renewed = billed.account.periodEnd !== account.periodEnd;
        return billed;
      },
      { type: 'workspace', id: workspaceId },
      context,
      [],
    );
    return renewed ? 'renewed' : 'unchanged';
  } catch (error) {
    logger.error('Renewal failed for one subscription', { workspaceId, error: error as Error });
    return 'failed';
  }
}
