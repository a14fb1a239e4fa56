import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../core/errors';
import { dynamo, tableName } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import { tableDefinition } from './table';

export interface PageRequest extends PageParams {
  /** Names the list a cursor belongs to, with its scope (e.g. the workspace id). */
  list: string;
  scope: string;
}

export interface PageParams {
  limit: number;
  after?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type QueryShape = Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;

/** Strongly consistent on the table (a change shows in the very next list); an index cannot be. */
const readConsistency = (query: QueryShape) => ({ ConsistentRead: query.IndexName === undefined });

function keyOf(item: Record<string, unknown>, indexName: string | undefined): Record<string, unknown> {
  const names: string[] = [tableDefinition.partitionKey, tableDefinition.sortKey];
  const index = tableDefinition.globalSecondaryIndexes.find((candidate) => candidate.indexName === indexName);
  if (index) names.push(index.partitionKey, index.sortKey);
  return Object.fromEntries(names.map((name) => [name, item[name]]));
}

/** A filtered query stops after this many DynamoDB calls, so one request stays short on any log size. */
const maxQueriesPerPage = 10;

/**
 * One page of a Query, filled up to `limit` even when a FilterExpression
 * drops items (within `maxQueriesPerPage` calls), with a signed cursor
 * pointing after the last item read.
 */
async function queryPage<T>(query: QueryShape, page: PageRequest): Promise<Page<T>> {
  let startKey = page.after ? decodeCursor(page.after, page.list, page.scope) : undefined;
  const items: Record<string, unknown>[] = [];
  let more = true;
  // One item past the page tells whether another page exists, so the last page says null.
  for (let calls = 0; items.length <= page.limit && more && calls < maxQueriesPerPage; calls++) {
    const result = await dynamo
      .send(
        new QueryCommand({
          ...readConsistency(query),
          ...query,
          TableName: tableName,
          Limit: page.limit + 1 - items.length + (query.FilterExpression ? page.limit : 0),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      )
      .catch((error: unknown) => {
        // A validly signed cursor whose key no longer fits the query (the key design changed).
        if (startKey && (error as Error).name === 'ValidationException') throw new AppError('INVALID_CURSOR');
        throw error;
      });
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
    more = startKey !== undefined;
  }
  const returned = items.slice(0, page.limit);
  const last = returned.at(-1);
  let resumeAt: Record<string, unknown> | undefined;
  if (items.length > page.limit && last) resumeAt = keyOf(last, query.IndexName);
  // Stopped by the call limit with a short page: resume where DynamoDB stopped reading.
  else if (more && startKey) resumeAt = startKey;
  return {
    items: returned as T[],
    nextCursor: resumeAt ? encodeCursor(page.list, page.scope, resumeAt) : null,
  };
}

/** One condition of a list's FilterExpression, with the names and values it uses. */
export interface FilterPart {
  expression: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
}

/** Where a list reads: a partition of the table under an SK prefix, or a partition of an index. */
export type ListSource =
  | { partition: string; sortKeyPrefix: string }
  | { index: (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName']; partition: string };

export interface ListOptions {
  /** `descending` for time-ordered sort keys read newest first. @default ascending */
  order?: 'ascending' | 'descending';
  /** Conditions every returned item meets (a FilterExpression). */
  filters?: FilterPart[];
}

/** The Query of a list: its key condition, order and filters, with the names and values they use. */
function listQuery(source: ListSource, options: ListOptions): QueryShape {
  const filters = options.filters ?? [];
  const index = 'index' in source ? source.index : undefined;
  const { partitionKey, sortKey } =
    tableDefinition.globalSecondaryIndexes.find((candidate) => candidate.indexName === index) ??
    tableDefinition;
  const prefix = 'sortKeyPrefix' in source ? source.sortKeyPrefix : undefined;
  const names = Object.assign({}, ...filters.map((filter) => filter.names ?? {}));
  return {
    ...(index ? { IndexName: index } : {}),
    KeyConditionExpression: `${partitionKey} = :pk${prefix === undefined ? '' : ` AND begins_with(${sortKey}, :prefix)`}`,
    ...(options.order === 'descending' ? { ScanIndexForward: false } : {}),
    ExpressionAttributeValues: Object.assign(
      { ':pk': source.partition, ...(prefix === undefined ? {} : { ':prefix': prefix }) },
      ...filters.map((filter) => filter.values),
    ),
    ...(filters.length ? { FilterExpression: filters.map((filter) => filter.expression).join(' AND ') } : {}),
    // DynamoDB refuses an empty ExpressionAttributeNames.
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
  };
}

/** One page of a list, with its cursor. */
export function listPage<T>(source: ListSource, options: ListOptions, page: PageRequest): Promise<Page<T>> {
  return queryPage<T>(listQuery(source, options), page);
}

/** Every item of a short list (a person's workspaces), all its pages. */
export async function listAll<T>(source: ListSource, options: ListOptions = {}): Promise<T[]> {
  const query = listQuery(source, options);
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await dynamo.send(
      new QueryCommand({
        ...readConsistency(query),
        ...query,
        TableName: tableName,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...((result.Items ?? []) as T[]));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return items;
}
