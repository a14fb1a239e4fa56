import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One DynamoDB operation a handler sent, as the SDK saw it. */
export interface DynamoCall {
  /** The DynamoDB operation: GetItem, BatchGetItem, Query, TransactWriteItems… */
  operation: string;
  /** The request's input (document-client values, before marshalling), to see which keys it reads. */
  input: Record<string, unknown>;
  /** HTTP attempts, retries included: more than one means the SDK retried. */
  attempts: number;
}

export interface DynamoCounter {
  /** Starts recording the calls of one request (the bench sends one at a time). */
  begin(): void;
  /** Stops recording and returns what was sent since `begin`. */
  end(): DynamoCall[];
  /** Every call seen while recording, over the whole run. */
  readonly total: number;
}

/**
 * Counts the DynamoDB requests of the client the handlers share: one
 * middleware at the initialize step records each operation sent (once, before
 * retries), one at the deserialize step, which runs inside the retry loop,
 * counts the HTTP attempts. The document client and the DynamoDB client it
 * wraps share one middleware stack, so the GetCommand & co. of the handlers
 * and any raw DynamoDB command are all seen.
 */
export function attachCounter(client: DynamoDBDocumentClient): DynamoCounter {
  let recording: DynamoCall[] | undefined;
  let total = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (recording) {
        const call: DynamoCall = {
          operation: String(context.commandName ?? 'unknown').replace(/Command$/, ''),
          input: { ...(args.input as Record<string, unknown>) },
          attempts: 0,
        };
        recording.push(call);
        total += 1;
        (context as { benchCall?: DynamoCall }).benchCall = call;
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchCountRequests', priority: 'high' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const call = (context as { benchCall?: DynamoCall }).benchCall;
      if (call) call.attempts += 1;
      return next(args);
    },
    { step: 'deserialize', name: 'benchCountAttempts', priority: 'low' },
  );
  return {
    begin() {
      recording = [];
    },
    end() {
      const calls = recording ?? [];
      recording = undefined;
      return calls;
    },
    get total() {
      return total;
    },
  };
}

const stringOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'S' in value && typeof value.S === 'string') return value.S;
  return undefined;
};

/** The sort keys a read operation fetches by key (GetItem, BatchGetItem); none for other operations. */
export function keysRead(call: DynamoCall): string[] {
  const sortKeyOf = (key: unknown) =>
    key && typeof key === 'object' ? stringOf((key as Record<string, unknown>).SK) : undefined;
  if (call.operation === 'GetItem') return [sortKeyOf(call.input.Key)].filter((key) => key !== undefined);
  if (call.operation === 'BatchGetItem' || call.operation === 'TransactGetItems') {
    const keys: unknown[] = [];
    const requests = call.input.RequestItems as Record<string, { Keys?: unknown[] }> | undefined;
    for (const request of Object.values(requests ?? {})) keys.push(...(request.Keys ?? []));
    const items = call.input.TransactItems as { Get?: { Key?: unknown } }[] | undefined;
    for (const item of items ?? []) keys.push(item.Get?.Key);
    return keys.map(sortKeyOf).filter((key) => key !== undefined);
  }
  return [];
}

export const isRead = (call: DynamoCall) =>
  ['GetItem', 'BatchGetItem', 'TransactGetItems', 'Query', 'Scan'].includes(call.operation);

/** How many calls of each DynamoDB operation. */
export function countByOperation(calls: DynamoCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  return counts;
}
