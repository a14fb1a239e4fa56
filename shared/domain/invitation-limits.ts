import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamo, tableName } from '../db/client';
import { invitationRateKey, inviterRateKey } from '../db/keys';
import { AppError } from '../http/errors';
import { logger } from '../logger';
import { epochSeconds } from './invitation-items';

/** Emails a workspace, and a person across all their workspaces, may send per clock hour. */
export const invitationsPerHour = 200;
/** A delivered invitation is resent at most once a minute. */
export const resendCooldownMs = 60 * 1000;

const hourOf = (now: Date) => now.toISOString().slice(0, 13);

function rateLimited(now: Date, who: 'workspace' | 'person', remaining: number): AppError {
  const resumes = new Date(Date.parse(`${hourOf(now)}:00:00.000Z`) + 3_600_000).toISOString().slice(11, 16);
  const subject = who === 'workspace' ? 'A workspace' : 'One person';
  const left = remaining > 0 ? ` Only ${remaining} more can be sent this hour.` : '';
  return new AppError(
    'RATE_LIMITED',
    `${subject} can send at most ${invitationsPerHour} invitations per hour.${left} Try again after ${resumes} UTC.`,
  );
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
      ':ttl': epochSeconds(now.getTime()) + 7200,
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
