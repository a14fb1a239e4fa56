import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AppError } from '../core/errors';
import { dynamo, tableName } from './client';
import { type TransactStep, toTransactItem } from './steps';

/** Attempts of a transaction that DynamoDB cancels only because another one held the same items. */
const conflictAttempts = 4;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes all steps atomically. When DynamoDB cancels the transaction, the
 * first failed condition is turned into the error its step names, so callers
 * answer with a precise 409 instead of a generic failure. A cancellation due
 * only to a concurrent transaction on the same items wrote nothing, so it is
 * tried again (the conditions are evaluated afresh) before 409
 * CONCURRENT_UPDATE.
 */
export async function transact(steps: TransactStep[]): Promise<void> {
  const command = new TransactWriteCommand({
    TransactItems: steps.map((step) => toTransactItem(step, tableName)),
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await dynamo.send(command);
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      const onConditionFailed = failed >= 0 ? steps[failed]?.onConditionFailed : undefined;
      if (onConditionFailed) {
        const current = reasons[failed]?.Item;
        throw onConditionFailed(current ? unmarshall(current) : undefined);
      }
      const conflictOnly = failed < 0 && reasons.some((reason) => reason.Code === 'TransactionConflict');
      if (conflictOnly && attempt < conflictAttempts) {
        await pause(Math.random() * 20 * 2 ** attempt);
        continue;
      }
      if (failed >= 0 || conflictOnly) throw new AppError('CONCURRENT_UPDATE');
      throw error;
    }
  }
}
