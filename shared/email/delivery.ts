import { oneOf, type TransactStep } from '../db/steps';

/**
 * How an email is doing, as the item it is about (an invitation) shows it.
 * The mailer and SES's feedback move it forward only: a late "sent" never
 * undoes a "delivered" or a "bounced".
 */
export const deliveryStatuses = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'suppressed',
  'bounced',
  'complained',
] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * The statuses a delivery may still leave for `status`. A rejection after
 * SES took the message still fails it; a delivery event after a failure is
 * the truth; a bounce or a complaint is final.
 */
export function statusesBefore(status: DeliveryStatus): DeliveryStatus[] {
  const order: Record<DeliveryStatus, number> = {
    queued: 0,
    sending: 1,
    sent: 2,
    failed: 3,
    suppressed: 3,
    delivered: 4,
    bounced: 5,
    complained: 6,
  };
  return deliveryStatuses.filter((candidate) => order[candidate] < order[status]);
}

/** A send is waiting or in flight: another one would be a second email for one intent. */
export const inFlight: readonly DeliveryStatus[] = ['queued', 'sending'];

export interface DeliveryState {
  status: DeliveryStatus;
  /** Why it failed or was not sent, in words a client may show. */
  reason: string | null;
  attempts: number;
  /** When it was last queued or sent: the resend cooldown counts from it. */
  lastAttemptAt: string;
  /**
   * The outbox message this delivery is about: a newer one (a resend) owns
   * the delivery from then on; none once the invitation is revoked, so that
   * a message still queued is not sent.
   */
  messageId?: string;
}

/** Raised by a delivery's condition: a newer message owns it, or it is already further along. */
export class DeliveryMovedOn extends Error {}

/**
 * The step that moves the delivery of `source` (the item an email is about)
 * to `status`, only while `messageId` still owns it and it has not gone
 * further already.
 */
export function advanceDelivery(
  source: { PK: string; SK: string },
  messageId: string,
  status: DeliveryStatus,
  update: { reason?: string | null; at?: string } = {},
): TransactStep {
  const earlier = oneOf('delivery.#status', 'earlier', statusesBefore(status));
  const values: Record<string, unknown> = { ':status': status, ':messageId': messageId, ...earlier.values };
  const sets = ['delivery.#status = :status'];
  if (update.reason !== undefined) {
    sets.push('delivery.reason = :reason');
    values[':reason'] = update.reason;
  }
  if (update.at !== undefined) {
    sets.push('delivery.lastAttemptAt = :at');
    values[':at'] = update.at;
  }
  return {
    update: {
      Key: { PK: source.PK, SK: source.SK },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: `delivery.messageId = :messageId AND ${earlier.expression}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    },
    onConditionFailed: () => new DeliveryMovedOn(),
  };
}

/**
 * The step of a mailer's claim on its source: the delivery shows `sending`,
 * only while this message still owns it and has not gone further (a
 * message tried again after a retryable failure is `sending` already).
 */
export const markSending = (source: { PK: string; SK: string }, messageId: string): TransactStep => ({
  update: {
    Key: { PK: source.PK, SK: source.SK },
    UpdateExpression: 'SET delivery.#status = :sending',
    ConditionExpression: 'delivery.messageId = :messageId AND delivery.#status IN (:queued, :sending)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':messageId': messageId, ':queued': 'queued', ':sending': 'sending' },
  },
  onConditionFailed: () => new DeliveryMovedOn(),
});
