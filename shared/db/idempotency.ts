import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../core/errors';
import { maxIdLength } from '../core/text';
import { dayMs, epochSeconds, minuteMs } from '../core/time';
import { getConsistent } from './batch';
import { dynamo, tableName } from './client';
import { idempotencyKey } from './keys';
import type { TransactStep } from './steps';

const keyPattern = new RegExp(`^[\\w.:-]{1,${maxIdLength}}$`);

/** Raised by the record's condition: the key was used before. */
class KeyAlreadyUsed extends Error {}

interface IdempotencyRecord<T> {
  requestHash: string;
  response: T;
  ttl: number;
}

const hashOf = (request: unknown) => createHash('sha256').update(JSON.stringify(request)).digest('base64url');

/** A key's record is kept 24 hours (TTL). */
const retainedUntil = (now: Date) => epochSeconds(now.getTime() + dayMs);

/** The condition a key's record is written on: no record yet, or only an expired one (TTL deletes lazily). */
const keyUnused = (now: Date) => ({
  ConditionExpression: 'attribute_not_exists(PK) OR #ttl < :now',
  ExpressionAttributeNames: { '#ttl': 'ttl' },
  ExpressionAttributeValues: { ':now': epochSeconds(now.getTime()) },
});

/** The record a used key holds, if it was used for this very request (else 409). */
async function recordFor<R extends { requestHash: string }>(
  recordKey: Record<string, string>,
  requestHash: string,
): Promise<R> {
  const stored = await getConsistent<R>(recordKey);
  if (!stored || stored.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
  return stored;
}

export type RecordStep<T> = (response: T) => TransactStep | undefined;

/** A creating request: the caller's scope, the header's key (if sent), the request it stands for. */
export interface IdempotencyInput {
  scope: string;
  key: string | undefined;
  request: unknown;
  now: Date;
}

function checkKey(key: string): void {
  if (!keyPattern.test(key)) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      fieldErrors: [
        {
          path: 'Idempotency-Key',
          message: `Use 1 to ${maxIdLength} letters, digits, or the characters _ - . :`,
        },
      ],
    });
  }
}

/**
 * Runs a creating operation at most once per `Idempotency-Key` and caller for
 * 24 hours. The operation writes the key's record in its own transaction (via
 * `record`), so the first response and its side effects commit together; a
 * retry with the same body gets the stored response back.
 */
export async function idempotent<T>(
  input: IdempotencyInput,
  run: (record: RecordStep<T>) => Promise<T>,
): Promise<T> {
  const { scope, key, now } = input;
  if (key === undefined) return run(() => undefined);
  checkKey(key);
  const requestHash = hashOf(input.request);
  const record: RecordStep<T> = (response) => ({
    put: {
      Item: { ...idempotencyKey(scope, key), requestHash, response, ttl: retainedUntil(now) },
      ...keyUnused(now),
    },
    onConditionFailed: () => new KeyAlreadyUsed(),
  });
  try {
    return await run(record);
  } catch (error) {
    if (!(error instanceof KeyAlreadyUsed)) throw error;
    return (await recordFor<IdempotencyRecord<T>>(idempotencyKey(scope, key), requestHash)).response;
  }
}

/** Only one retry takes over a stale claim: the others find it fresh again. */
async function takeOver(recordKey: Record<string, string>, claimedAt: string, now: Date): Promise<void> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName,
        Key: recordKey,
        UpdateExpression: 'SET claimedAt = :now',
        ConditionExpression: 'claimedAt = :seen',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':seen': claimedAt },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new AppError('REQUEST_IN_PROGRESS');
    throw error;
  }
}

/** How long a claimed key stays locked before another attempt may take it over (a crashed run). */
const claimLeaseMs = minuteMs;

interface ClaimedRecord<T> extends IdempotencyRecord<T> {
  state: 'running' | 'done';
  /** When the first attempt started: the time its ids derive from. */
  startedAt: string;
  /** When the attempt now running took the key: it holds it for a minute. */
  claimedAt: string;
}

/**
 * For operations made of several transactions (a batch of invitations), where
 * the record cannot join one transaction: the key is claimed first, the
 * response stored when the run ends. A retry gets the stored response, or 409
 * while the first run is still going; a run that crashed can be taken over
 * after a minute, and `run` gets the first attempt's start time so it can
 * derive the same ids and recognise what that attempt already wrote.
 */
export async function idempotentBatch<T>(
  input: IdempotencyInput,
  run: (startedAt: Date) => Promise<T>,
): Promise<T> {
  const { scope, key, now } = input;
  if (key === undefined) return run(now);
  checkKey(key);
  const requestHash = hashOf(input.request);
  const recordKey = idempotencyKey(scope, key);
  let startedAt = now;
  try {
    await dynamo.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...recordKey,
          requestHash,
          state: 'running',
          startedAt: now.toISOString(),
          claimedAt: now.toISOString(),
          ttl: retainedUntil(now),
        },
        ...keyUnused(now),
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const stored = await recordFor<ClaimedRecord<T>>(recordKey, requestHash);
    if (stored.state === 'done') return stored.response;
    if (now.getTime() - Date.parse(stored.claimedAt) < claimLeaseMs)
      throw new AppError('REQUEST_IN_PROGRESS');
    await takeOver(recordKey, stored.claimedAt, now);
    startedAt = new Date(stored.startedAt);
  }
  let response: T;
  try {
    response = await run(startedAt);
  } catch (error) {
    // Free the key for a corrected retry; what the run did write stays guarded by its own conditions.
    await dynamo.send(new DeleteCommand({ TableName: tableName, Key: recordKey })).catch(() => undefined);
    throw error;
  }
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName,
      Key: recordKey,
      UpdateExpression: 'SET #state = :done, #response = :response',
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: { ':done': 'done', ':response': response },
    }),
  );
  return response;
}
