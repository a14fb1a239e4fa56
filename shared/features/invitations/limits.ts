import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { epochSeconds, hourMs, minuteMs } from '../../core/time';
import { dynamo, tableName } from '../../db/client';
import { invitationRateKey, inviterRateKey } from '../../db/keys';
import { type DeliveryState, type DeliveryStatus, inFlight } from '../../email/delivery';

/** Emails a workspace, and a person across all their workspaces, may send per clock hour. */
const invitationsPerHour = 200;
/** A delivered invitation is resent at most once a minute. */
const resendCooldownMs = minuteMs;

const hourOf = (now: Date) => now.toISOString().slice(0, 13);

function rateLimited(now: Date, who: 'workspace' | 'person', remaining: number): AppError {
  const resumesAt = Date.parse(`${hourOf(now)}:00:00.000Z`) + hourMs;
  const resumes = new Date(resumesAt).toISOString().slice(11, 16);
  const subject = who === 'workspace' ? 'A workspace' : 'One person';
  const left = remaining > 0 ? ` Only ${remaining} more can be sent this hour.` : '';
  return new AppError(
    'RATE_LIMITED',
    `${subject} can send at most ${invitationsPerHour} invitations per hour.${left} Try again after ${resumes} UTC.`,
    { retryAfterSeconds: (resumesAt - now.getTime()) / 1000 },
  );
}

/** An email still queued (or being sent) this long after it was queued is taken as lost: it may be resent. */
const inFlightLimitMs = hourMs;

/** The moment before which a last send no longer holds a resend back. */
export const cooldownStart = (now: Date) => new Date(now.getTime() - resendCooldownMs).toISOString();

/** The moment before which an email on its way no longer holds a resend back. */
export const inFlightStart = (now: Date) => new Date(now.getTime() - inFlightLimitMs).toISOString();

/** Deliveries that never reached the person: resending them waits for no cooldown. */
export const resendsWithoutCooldown: readonly DeliveryStatus[] = [
  'failed',
  'suppressed',
  'bounced',
  'complained',
];

/**
 * Whether a delivery holds a resend back: an email on its way (queued or
 * being sent, for up to an hour), or one sent less than a minute ago.
 */
export const coolingDown = (delivery: Pick<DeliveryState, 'status' | 'lastAttemptAt'>, now: Date) =>
  (inFlight.includes(delivery.status) && delivery.lastAttemptAt > inFlightStart(now)) ||
  (!resendsWithoutCooldown.includes(delivery.status) && delivery.lastAttemptAt > cooldownStart(now));

/**
 * A resend while an email is on its way (429, come back in a minute: it
 * should be out by then), or within a minute of the last send (429 until
 * that minute is over).
 */
export function tooSoonToResend(
  delivery: Pick<DeliveryState, 'status' | 'lastAttemptAt'>,
  now: Date,
): AppError {
  if (inFlight.includes(delivery.status)) {
    return new AppError(
      'RATE_LIMITED',
      'This invitation’s email is on its way; wait a minute before resending it.',
      { retryAfterSeconds: resendCooldownMs / 1000 },
    );
  }
  // At least a second, and clamped: a racing resend may have been queued a moment after this request began.
  const waitMs = Math.min(
    resendCooldownMs,
    Date.parse(delivery.lastAttemptAt) + resendCooldownMs - now.getTime(),
  );
  return new AppError('RATE_LIMITED', 'This invitation was just sent; wait a minute before resending it.', {
    retryAfterSeconds: waitMs / 1000,
  });
}

interface Counter {
  who: 'workspace' | 'person';
  key: Record<string, string>;
}

function move(counter: Counter, by: number, now: Date, limited: boolean) {
  return new UpdateCommand({
    TableName: tableName,
    Key: counter.key,
    UpdateExpression: 'SET #ttl = :ttl ADD sent :by',
    ...(limited
      ? {
          ConditionExpression: 'attribute_not_exists(sent) OR sent <= :room',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        }
      : {}),
    ExpressionAttributeNames: { '#ttl': 'ttl' },
    ExpressionAttributeValues: {
      ':by': by,
      ':ttl': epochSeconds(now.getTime() + 2 * hourMs),
      ...(limited ? { ':room': invitationsPerHour - by } : {}),
    },
  });
}

export interface Reservation {
  /** Gives back the slots of invitations that were not sent after all. */
  release(unused: number): Promise<void>;
}

/**
 * Takes `count` sending slots from the workspace's and the inviter's hourly
 * counters before any invitation is written, so that the invitations' own
 * transactions never contend on the counters; unused slots go back after.
 */
export async function reserveInvitations(
  workspaceId: string,
  inviterId: string,
  count: number,
  now: Date,
): Promise<Reservation> {
  const counters: Counter[] = [
    { who: 'workspace', key: invitationRateKey(workspaceId, hourOf(now)) },
    { who: 'person', key: inviterRateKey(inviterId, hourOf(now)) },
  ];
  const taken: Counter[] = [];
  const release = async (unused: number, from: Counter[]) => {
    if (unused <= 0) return;
    await Promise.all(
      from.map((counter) =>
        dynamo.send(move(counter, -unused, now, false)).catch((error: unknown) => {
          logger.warn('Could not release invitation slots', { error: error as Error });
        }),
      ),
    );
  };
  for (const counter of counters) {
    try {
      await dynamo.send(move(counter, count, now, true));
      taken.push(counter);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await release(count, taken);
      const sent = error.Item ? Number(unmarshall(error.Item).sent ?? 0) : invitationsPerHour;
      throw rateLimited(now, counter.who, invitationsPerHour - sent);
    }
  }
  return { release: (unused) => release(unused, taken) };
}
