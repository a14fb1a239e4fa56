import { logger } from '../core/logger';
import { getConsistent } from '../db/batch';
import { outboxKey } from '../db/keys';
import type { TransactStep } from '../db/steps';
import { transact } from '../db/transact';
import { advanceDelivery, DeliveryMovedOn, type DeliveryStatus, statusesBefore } from './delivery';
import { messageIdTag } from './message';
import { moveOutbox, type OutboxItem } from './outbox';
import { suppressAddress } from './suppression';

/**
 * An SES event, as the configuration set publishes it to EventBridge (the
 * event's `detail`), with only the fields used here. Locally,
 * `POST /dev/ses/events` builds the same shape.
 */
export interface SesEvent {
  eventType: string;
  mail: { tags?: Record<string, string[]> };
  bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress: string }[] };
  complaint?: { complainedRecipients?: { emailAddress: string }[] };
}

/** What an event means for the delivery; bounces other than permanent ones (a full mailbox) change nothing. */
function outcomeOf(
  event: SesEvent,
): { status: DeliveryStatus; reason: string | null; suppress: string[] } | undefined {
  switch (event.eventType) {
    case 'Send':
      return { status: 'sent', reason: null, suppress: [] };
    case 'Delivery':
      return { status: 'delivered', reason: null, suppress: [] };
    case 'Bounce':
      if (event.bounce?.bounceType !== 'Permanent') return undefined;
      return {
        status: 'bounced',
        reason: 'The address does not accept email: it bounced. Check it, then invite it again.',
        suppress: (event.bounce.bouncedRecipients ?? []).map((recipient) => recipient.emailAddress),
      };
    case 'Complaint':
      return {
        status: 'complained',
        reason: 'The recipient reported the email as spam.',
        suppress: (event.complaint?.complainedRecipients ?? []).map((recipient) => recipient.emailAddress),
      };
    case 'Reject':
    case 'Rendering Failure':
      return {
        status: 'failed',
        reason: 'The email service rejected the message. Resend it later.',
        suppress: [],
      };
    default:
      return undefined;
  }
}

/** The state is already where the event would take it, or further. */
class AlreadyThere extends Error {}

/** A conditional write that may find the state already further along: then there is nothing to do. */
async function whereStillBehind(step: TransactStep): Promise<void> {
  try {
    await transact([step]);
  } catch (error) {
    if (!(error instanceof AlreadyThere) && !(error instanceof DeliveryMovedOn)) throw error;
  }
}

/**
 * SES's feedback on an email: the outbox message and the delivery of the
 * item it is about move forward (`sent`, `delivered`, `bounced`,
 * `complained`), and a hard bounce or a complaint puts the address on the
 * workspace's suppression list. Safe to receive twice, or out of order.
 */
export async function applyEmailEvent(event: SesEvent): Promise<void> {
  const messageId = event.mail.tags?.[messageIdTag]?.[0];
  const outcome = outcomeOf(event);
  if (!messageId || !outcome) return;
  const item = await getConsistent<OutboxItem>(outboxKey(messageId));
  if (!item) return;
  await whereStillBehind(
    moveOutbox(messageId, outcome.status, statusesBefore(outcome.status), {
      onConditionFailed: () => new AlreadyThere(),
    }),
  );
  if (item.source) {
    // A send is when the resend cooldown starts.
    const at = outcome.status === 'sent' ? { at: new Date().toISOString() } : {};
    await whereStillBehind(
      advanceDelivery(item.source, messageId, outcome.status, { reason: outcome.reason, ...at }),
    );
  }
  for (const email of outcome.suppress) {
    const suppression = suppressAddress({
      workspaceId: item.workspaceId,
      email: email.toLowerCase(),
      reason: outcome.status === 'complained' ? 'complaint' : 'bounce',
      at: new Date().toISOString(),
      messageId,
    });
    await whereStillBehind({ ...suppression, onConditionFailed: () => new AlreadyThere() });
  }
  logger.info('Email event applied', { messageId, eventType: event.eventType });
}
