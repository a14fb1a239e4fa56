import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '../db/client';
import { idempotencyKey } from '../db/keys';
import type { TransactStep } from '../db/transact';
import { AppError } from '../http/errors';

const retentionSeconds = 24 * 60 * 60;
const keyPattern = /^[\w.:-]{1,255}$/;

/** Raised by the record's condition: the key was used before. */
class KeyAlreadyUsed extends Error {}

interface IdempotencyRecord<T> {
  requestHash: string;
  response: T;
  expiresAt: number;
}

const hashOf = (request: unknown) => createHash('sha256').update(JSON.stringify(request)).digest('base64url');
const epochSeconds = (now: Date) => Math.floor(now.getTime() / 1000);

export type RecordStep<T> = (response: T) => TransactStep | undefined;

/**
 * Runs a creating operation at most once per `Idempotency-Key` and caller for
 * 24 hours. The operation writes the key's record in its own transaction (via
 * `record`), so the first response and its side effects commit together; a
 * retry with the same body gets the stored response back.
 */
export async function idempotent<T>(
  input: { scope: string; key: string | undefined; request: unknown; now: Date },
  run: (record: RecordStep<T>) => Promise<T>,
): Promise<T> {
  const { scope, key, now } = input;
  if (key === undefined) return run(() => undefined);
  if (!keyPattern.test(key)) {
    throw new AppError('VALIDATION_FAILED', undefined, [
      { path: 'Idempotency-Key', message: 'Use 1 to 255 letters, digits, or the characters _ - . :' },
    ]);
  }
  const requestHash = hashOf(input.request);
  const record: RecordStep<T> = (response) => ({
    put: {
      Item: {
        ...idempotencyKey(scope, key),
        requestHash,
        response,
        expiresAt: epochSeconds(now) + retentionSeconds,
      },
      ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': epochSeconds(now) },
    },
    onConditionFailed: () => new KeyAlreadyUsed(),
  });
  try {
    return await run(record);
  } catch (error) {
    if (!(error instanceof KeyAlreadyUsed)) throw error;
    const { Item } = await dynamo.send(
      new GetCommand({ TableName: tableName, Key: idempotencyKey(scope, key), ConsistentRead: true }),
    );
    const stored = Item as IdempotencyRecord<T> | undefined;
    if (!stored || stored.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    return stored.response;
  }
}
