import { newId } from '../core/ids';
import { open, seal } from '../core/secrets';
import { dayMs, epochSeconds } from '../core/time';
import { outboxKey, outboxPrefix } from '../db/keys';
import { oneOf, type TransactStep } from '../db/steps';
import type { DeliveryStatus } from './delivery';
import type { EmailMessage } from './message';

/**
 * The outbox: an operation that emails writes the message, in the same
 * transaction as the change it is about, as an outbox item. The table's
 * stream carries each new outbox item to the mail queue (an EventBridge Pipe
 * in AWS, a relay locally), and the mailer sends it. No email without its
 * change, no change without its email, and nothing lost if a function dies:
 * the stream holds the committed write until the queue has it.
 */

/**
 * `queued` → `sending` (claimed by one mailer) → `sent`, or `failed`,
 * `suppressed`, or `withdrawn` (what it was about no longer wants it: a
 * revoked invitation); then SES's feedback.
 */
export type OutboxState = DeliveryStatus | 'withdrawn';

export interface OutboxItem {
  PK: string;
  SK: string;
  messageId: string;
  state: OutboxState;
  workspaceId: string;
  /** The recipient: the suppression list is checked against it when the message is sent. */
  to: string;
  /** Subject and parts, AES-GCM sealed (they carry links with tokens), bound to the message id. */
  sealed: string;
  /** The item whose `delivery` tells how this email is doing (an invitation), if any. */
  source?: { PK: string; SK: string };
  createdAt: string;
  claimedAt?: string;
  sentAt?: string;
  sesMessageId?: string;
  ttl: number;
}

const purpose = 'outbox messages';
/** Outbox items go 30 days after they were queued. */
const retentionMs = 30 * dayMs;

export const newMessageId = (now: Date) => newId('EM', now.getTime());

export interface QueuedEmail {
  messageId: string;
  workspaceId: string;
  message: EmailMessage;
  source?: { PK: string; SK: string };
  now: Date;
}

/** The step that queues an email: a new outbox item, in the transaction of the change it belongs to. */
export function queueEmail(email: QueuedEmail): TransactStep {
  const { subject, html, text } = email.message;
  const item: OutboxItem = {
    ...outboxKey(email.messageId),
    messageId: email.messageId,
    state: 'queued',
    workspaceId: email.workspaceId,
    to: email.message.to,
    sealed: seal(purpose, email.messageId, JSON.stringify({ subject, html, text })),
    ...(email.source ? { source: email.source } : {}),
    createdAt: email.now.toISOString(),
    ttl: epochSeconds(email.now.getTime() + retentionMs),
  };
  return { put: { Item: item, ConditionExpression: 'attribute_not_exists(PK)' } };
}

/**
 * The step that moves an outbox message to `state` from one of `from`, with
 * more attributes set on the way; `onConditionFailed` gets the item as it was.
 */
export function moveOutbox(
  messageId: string,
  state: OutboxState,
  from: readonly OutboxState[],
  options: { set?: Record<string, unknown>; onConditionFailed: (current?: Record<string, unknown>) => Error },
): TransactStep {
  const set = options.set ?? {};
  const allowed = oneOf('#state', 'from', from);
  return {
    update: {
      Key: outboxKey(messageId),
      UpdateExpression: `SET #state = :state${Object.keys(set)
        .map((name) => `, ${name} = :${name}`)
        .join('')}`,
      ConditionExpression: allowed.expression,
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':state': state,
        ...allowed.values,
        ...Object.fromEntries(Object.entries(set).map(([name, value]) => [`:${name}`, value])),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed: options.onConditionFailed,
  };
}

/** The message an outbox item holds, or undefined if its sealed content does not open (tampered, another key). */
export function openOutbox(item: OutboxItem): EmailMessage | undefined {
  const plain = open(purpose, item.messageId, item.sealed);
  if (plain === undefined) return undefined;
  return { to: item.to, ...(JSON.parse(plain) as Omit<EmailMessage, 'to'>) };
}

/**
 * The stream records that are new outbox items: the relay's filter, for the
 * EventBridge Pipe (as a filter pattern) and for the local relay alike.
 */
export const outboxStreamFilter = {
  eventName: ['INSERT'],
  dynamodb: { Keys: { PK: { S: [{ prefix: outboxPrefix }] } } },
} as const;

/** `outboxStreamFilter`, applied to one stream record (what the Pipe's filter does in AWS). */
export const isOutboxInsert = (record: {
  eventName?: string;
  dynamodb?: { Keys?: Record<string, unknown> };
}) =>
  (outboxStreamFilter.eventName as readonly string[]).includes(record.eventName ?? '') &&
  String((record.dynamodb?.Keys?.PK as { S?: string } | undefined)?.S ?? '').startsWith(
    outboxStreamFilter.dynamodb.Keys.PK.S[0].prefix,
  );
