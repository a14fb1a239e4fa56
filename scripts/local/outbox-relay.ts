import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { isOutboxInsert } from '../../shared/email/outbox';
import { localCredentials, localDynamoClient, localRegion } from './dynamodb-local';

/** Between reads of an idle stream; a caller waiting on `caughtUp` starts the next read at once. */
const pollMs = 100;
/** Shards change rarely (DynamoDB rolls them every few hours): looked for every this many reads. */
const shardLookupEvery = 20;

export interface OutboxRelay {
  /** Resolves after a full read of the stream that began after the call: every earlier write is relayed. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The EventBridge Pipe, locally: reads the table's stream (DynamoDB Local
 * has streams too), keeps the records `isOutboxInsert` accepts (the Pipe's
 * filter) and hands each to the queue as the Pipe would, the record as JSON.
 * Starts from the oldest record still in the stream, as the Pipe does: a
 * message queued while the relay was down is sent when it comes back (the
 * mailer's claim makes a replayed one harmless).
 */
export async function startOutboxRelay(options: {
  dynamoEndpoint: string;
  tableName: string;
  send: (body: string) => void;
}): Promise<OutboxRelay> {
  const client = localDynamoClient(options.dynamoEndpoint);
  const { Table } = await client
    .send(new DescribeTableCommand({ TableName: options.tableName }))
    .finally(() => client.destroy());
  const streams = new DynamoDBStreamsClient({
    endpoint: options.dynamoEndpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`);
  const iterators = new Map<string, string | undefined>();
  let stopped = false;
  let passes = 0;
  const waiters: { after: number; resolve: () => void }[] = [];

  /** The last record relayed per shard: a lost iterator resumes right after it. */
  const lastSequence = new Map<string, string>();

  const iteratorFor = async (shardId: string, after?: string) => {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  };

  const discoverShards = async () => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      iterators.set(shard.ShardId, await iteratorFor(shard.ShardId));
    }
  };

  const relay = (record: _Record) => {
    if (isOutboxInsert(record)) options.send(JSON.stringify(record));
  };

  /**
   * DynamoDB Local trims its streams and expires iterators, more often under
   * load: a lost iterator is taken again after the last record relayed (from
   * the oldest one left if that is gone too), and the shard is read again.
   */
  const readShard = async (shardId: string, iterator: string, retried = false): Promise<void> => {
    try {
      const { Records, NextShardIterator } = await streams.send(
        new GetRecordsCommand({ ShardIterator: iterator }),
      );
      for (const record of Records ?? []) {
        relay(record);
        const sequence = record.dynamodb?.SequenceNumber;
        if (sequence) lastSequence.set(shardId, sequence);
      }
      iterators.set(shardId, NextShardIterator);
    } catch (error) {
      const name = (error as Error).name;
      if (retried || (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException'))
        throw error;
      const fresh = await iteratorFor(shardId, lastSequence.get(shardId)).catch((lookup: Error) => {
        if (lookup.name === 'TrimmedDataAccessException') return iteratorFor(shardId);
        throw lookup;
      });
      if (fresh) await readShard(shardId, fresh, true);
    }
  };

  const readShards = async () => {
    for (const [shardId, iterator] of iterators) {
      if (iterator) await readShard(shardId, iterator);
    }
  };

  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      const pass = passes + 1;
      try {
        const shardEnded = [...iterators.values()].some((iterator) => iterator === undefined);
        if (pass % shardLookupEvery === 1 || shardEnded) await discoverShards();
        await readShards();
        // Only a pass that read the whole stream tells its waiters that their writes are relayed.
        passes = pass;
      } catch (error) {
        if (!stopped) console.error('outbox relay: reading the stream failed', error);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        continue;
      }
      for (const waiter of waiters.filter((candidate) => candidate.after < passes)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (waiters.length > 0) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, pollMs);
      });
    }
  })();

  return {
    caughtUp: () =>
      new Promise<void>((resolve) => {
        // A pass already under way may have read before the caller's writes: wait for the next one.
        waiters.push({ after: passes + 1, resolve });
        wake?.();
      }),
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      for (const waiter of waiters.splice(0)) waiter.resolve();
      streams.destroy();
    },
  };
}
