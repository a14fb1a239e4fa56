import { BatchGetCommand, type BatchGetCommandOutput, GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from './client';

type Key = Record<string, string>;
type Item = Record<string, unknown>;

/** One item, read strongly consistent, as the caller knows it is shaped. */
export async function getConsistent<T = Item>(key: Key): Promise<T | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return Item as T | undefined;
}

/** BatchGetItem, strongly consistent, that also fetches whatever DynamoDB left unprocessed. */
export async function batchGetConsistent(keys: Key[]): Promise<Item[]> {
  const found: Item[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Item[] | undefined = keys.slice(start, start + 100);
    while (pending && pending.length > 0) {
      const result: BatchGetCommandOutput = await dynamo.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return found;
}

/** The item of `found` whose keys are `key`'s. */
export const itemAt = (found: Item[], key: { PK: string; SK: string }) =>
  found.find((item) => item.PK === key.PK && item.SK === key.SK);
