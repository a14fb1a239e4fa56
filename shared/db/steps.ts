import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Without<T, K extends keyof T> = Omit<T, K>;
/** Builds the error a failed condition means, from the item as it was (when the step asked for it). */
type ConditionError = (current: Record<string, unknown> | undefined) => Error;

/** One write of a transaction, with the error its failed condition means. */
export type TransactStep =
  | { put: Without<NonNullable<TransactItem['Put']>, 'TableName'>; onConditionFailed?: ConditionError }
  | { update: Without<NonNullable<TransactItem['Update']>, 'TableName'>; onConditionFailed?: ConditionError }
  | { delete: Without<NonNullable<TransactItem['Delete']>, 'TableName'>; onConditionFailed?: ConditionError }
  | {
      check: Without<NonNullable<TransactItem['ConditionCheck']>, 'TableName'>;
      onConditionFailed: ConditionError;
    };

/**
 * `path IN (:name0, :name1, …)` and the values it binds: the condition that
 * an attribute is one of `options`. `name` keeps two such lists of one
 * expression apart.
 */
export function oneOf(
  path: string,
  name: string,
  options: readonly string[],
): { expression: string; values: Record<string, string> } {
  const values = Object.fromEntries(options.map((option, index) => [`:${name}${index}`, option]));
  return { expression: `${path} IN (${Object.keys(values).join(', ')})`, values };
}

/** The DynamoDB form of a step, on a table. */
export function toTransactItem(step: TransactStep, tableName: string): TransactItem {
  if ('put' in step) return { Put: { TableName: tableName, ...step.put } };
  if ('update' in step) return { Update: { TableName: tableName, ...step.update } };
  if ('delete' in step) return { Delete: { TableName: tableName, ...step.delete } };
  return { ConditionCheck: { TableName: tableName, ...step.check } };
}
