import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/core/errors';

type Transact = typeof import('../../shared/db/transact').transact;
let transact: Transact;
const dynamo = mockClient(DynamoDBDocumentClient);

beforeAll(async () => {
  process.env.TABLE_NAME ??= 'unit-test';
  ({ transact } = await import('../../shared/db/transact'));
});
afterEach(() => dynamo.reset());

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const step = { put: { Item: { PK: 'A', SK: 'B' } } };

describe('transact', () => {
  it('tries again when DynamoDB cancels only for a concurrent transaction', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .resolves({});
    await expect(transact([step, step])).resolves.toBeUndefined();
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('answers 409 CONCURRENT_UPDATE when the conflict persists', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('TransactionConflict'));
    await expect(transact([step])).rejects.toMatchObject({ code: 'CONCURRENT_UPDATE', status: 409 });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });

  it('turns a failed condition into its step’s error at once, with the item as it was', async () => {
    const failed = cancelled('None', 'ConditionalCheckFailed');
    failed.CancellationReasons = [
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Item: { role: { S: 'owner' } } },
    ];
    dynamo.on(TransactWriteCommand).rejects(failed);
    const checked = {
      check: { Key: { PK: 'A', SK: 'C' }, ConditionExpression: 'attribute_exists(PK)' },
      onConditionFailed: (current: Record<string, unknown> | undefined) =>
        new AppError('LAST_OWNER', `was ${String(current?.role)}`),
    };
    await expect(transact([step, checked])).rejects.toMatchObject({
      code: 'LAST_OWNER',
      message: 'was owner',
    });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
