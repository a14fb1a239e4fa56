import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger } from '../core/logger';
import { getConsistent } from '../db/batch';
import { dynamo, tableName } from '../db/client';
import { outboxKey } from '../db/keys';
import type { TransactStep } from '../db/steps';
import { transact } from '../db/transact';
import { advanceDelivery, DeliveryMovedOn, type DeliveryStatus, markSending } from './delivery';
import { moveOutbox, type OutboxItem, type OutboxState, openOutbox } from './outbox';
import { maxReceives, type QueueMessage } from './queue';
import { SendFailure, sendEmail } from './ses';
import { notSuppressed } from './suppression';

/** Tries of one send within one receive, for throttling and faults, with backoff and full jitter. */
const sendTries = 3;
const backoffBaseMs = 200;

/** Receive this message again later: the queue redelivers it after its visibility timeout. */
class TryLater extends Error {}
/** The message was handled already (by an earlier receive, or another mailer): nothing to do. */
class AlreadyHandled extends Error {}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The outbox item a queue message carries: the stream record's new image. */
function outboxItemOf(message: QueueMessage): OutboxItem {
  const record = JSON.parse(message.body) as { dynamodb?: { NewImage?: Record<string, AttributeValue> } };
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error('A mail queue message without a new image');
  return unmarshall(image) as OutboxItem;
}

/** The outbox item moves to `state` from one of `from`; otherwise it was handled already. */
const outboxState = (
  item: OutboxItem,
  state: OutboxState,
  from: OutboxState[],
  set: Record<string, unknown> = {},
): TransactStep =>
  moveOutbox(item.messageId, state, from, {
    set,
    onConditionFailed: (current) => new AlreadyHandled(String(current?.state ?? 'gone')),
  });

/** The outbox item moves on, and its source's delivery with it when the message still owns that delivery. */
async function settle(
  item: OutboxItem,
  state: DeliveryStatus,
  from: OutboxState[],
  delivery: { reason?: string | null; at?: string },
  extra: Record<string, unknown> = {},
): Promise<void> {
  const own = outboxState(item, state, from, extra);
  try {
    await transact(
      item.source ? [own, advanceDelivery(item.source, item.messageId, state, delivery)] : [own],
    );
  } catch (error) {
    // A newer message (a resend) owns the delivery, or none does: this message's own state still moves.
    if (!(error instanceof DeliveryMovedOn)) throw error;
    await transact([own]);
  }
}

/** How long a claim holds: past it, the mailer that claimed the message is over (its function timed out). */
const claimExpiryMs = () => Number(process.env.MAILER_CLAIM_EXPIRY_MS ?? 15 * 60_000);

/**
 * Claims the message for this mailer, once: `queued` → `sending`, in one
 * write with the address checked against the workspace's suppression list
 * and the source's delivery marked `sending` (which holds only while the
 * source still wants this message: a revoked invitation's is withdrawn). A
 * message found `sending` is never sent again: its mailer may have sent it
 * and died before recording it. At most one email per intent.
 */
async function claim(item: OutboxItem, now: Date): Promise<'claimed' | 'settled'> {
  try {
    await transact([
      outboxState(item, 'sending', ['queued'], { claimedAt: now.toISOString() }),
      notSuppressed(item.workspaceId, item.to),
      ...(item.source ? [markSending(item.source, item.messageId)] : []),
    ]);
    return 'claimed';
  } catch (error) {
    if (error instanceof DeliveryMovedOn) {
      await transact([outboxState(item, 'withdrawn', ['queued'])]);
      logger.info('Email withdrawn before sending', { messageId: item.messageId });
      return 'settled';
    }
    if ((error as { code?: string }).code === 'ADDRESS_SUPPRESSED') {
      await settle(item, 'suppressed', ['queued'], {
        reason: 'This address is on the workspace’s suppressed addresses: nothing was sent.',
      });
      logger.info('Email not sent: address suppressed', { messageId: item.messageId });
      return 'settled';
    }
    if (error instanceof AlreadyHandled && error.message === 'sending') return unclaimable(item, now);
    throw error;
  }
}

/**
 * Another mailer claimed the message: it is sending it now (try later,
 * when it will have recorded the outcome), or it died doing so. Then the
 * email may or may not have gone: it is not sent again, and the delivery
 * fails with a reason that says so. (In AWS, SES's Send event, a few
 * seconds after a send, would have moved it to `sent` long before.)
 */
async function unclaimable(item: OutboxItem, now: Date): Promise<'settled'> {
  const current = await outboxClaim(item);
  if (current === undefined || now.getTime() - Date.parse(current) < claimExpiryMs()) throw new TryLater();
  await settle(item, 'failed', ['sending'], {
    reason: 'The email could not be confirmed as sent. Resend it later.',
  });
  logger.warn('Email claimed by a mailer that stopped; not sent again', { messageId: item.messageId });
  return 'settled';
}

/** When the message was claimed, if it still is. */
async function outboxClaim(item: OutboxItem): Promise<string | undefined> {
  const current = await getConsistent<OutboxItem>(outboxKey(item.messageId));
  return current?.state === 'sending' ? current.claimedAt : undefined;
}

/** Back to `queued`, for the next receive to try. */
async function release(item: OutboxItem): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName,
      Key: outboxKey(item.messageId),
      UpdateExpression: 'SET #state = :queued REMOVE claimedAt',
      ConditionExpression: '#state = :sending',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':queued': 'queued', ':sending': 'sending' },
    }),
  );
}

async function sendWithRetries(item: OutboxItem): Promise<string> {
  const message = openOutbox(item);
  if (!message) throw new SendFailure('permanent', 'The email could not be prepared.');
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendEmail(message, item.messageId);
    } catch (error) {
      if (!(error instanceof SendFailure) || error.kind !== 'retryable' || attempt >= sendTries) throw error;
      await pause(Math.random() * backoffBaseMs * 2 ** attempt);
    }
  }
}

async function deliverOne(message: QueueMessage): Promise<void> {
  const item = outboxItemOf(message);
  if ((await claim(item, new Date())) === 'settled') return;
  let sesMessageId: string;
  try {
    sesMessageId = await sendWithRetries(item);
  } catch (error) {
    const failure =
      error instanceof SendFailure ? error : new SendFailure('unconfirmed', 'The email could not be sent.');
    const lastReceive = Number(message.attributes.ApproximateReceiveCount) >= maxReceives;
    if (failure.kind === 'unconfirmed' && !lastReceive) {
      // It may have gone: left claimed, so that no receive sends it again; a later one settles it.
      logger.warn('Email send unconfirmed; it will not be sent again', { messageId: item.messageId });
      throw new TryLater();
    }
    if (failure.kind === 'retryable' && !lastReceive) {
      await release(item);
      logger.warn('Email send failed; it will be tried again', { messageId: item.messageId });
      throw new TryLater();
    }
    await settle(item, 'failed', ['sending'], { reason: `${failure.reason} Resend it later.` });
    logger.warn('Email not sent', { messageId: item.messageId, reason: failure.reason });
    return;
  }
  const sentAt = new Date().toISOString();
  await settle(item, 'sent', ['sending'], { at: sentAt }, { sentAt, sesMessageId });
  logger.info('Email sent', { messageId: item.messageId });
}

let lastSendAt = 0;

/**
 * The mailer: sends a batch of queued emails one after another, no faster
 * than one per MAILER_SEND_INTERVAL_MS in this instance (the stack sets it
 * and the mailer's concurrency from MaxSendRate, so that all instances stay
 * within the account's send rate). A message to try again is reported back
 * to the queue, which redelivers it; the others are done.
 */
export async function sendQueued(
  messages: QueueMessage[],
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const interval = Number(process.env.MAILER_SEND_INTERVAL_MS ?? 0);
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const message of messages) {
    const wait = lastSendAt + interval - Date.now();
    if (wait > 0) await pause(wait);
    lastSendAt = Date.now();
    try {
      await deliverOne(message);
    } catch (error) {
      if (error instanceof AlreadyHandled) continue;
      if (!(error instanceof TryLater)) {
        logger.error('Mail queue message failed', {
          queueMessageId: message.messageId,
          error: error as Error,
        });
      }
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
}
