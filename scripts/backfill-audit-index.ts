import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditEventIndexKeys, auditEventPrefix, workspaceIdOf } from '../shared/db/keys';
import type { AuditEvent } from '../shared/features/audit/events';

/**
 * Gives the audit events written before the filter indexes existed their
 * index keys (GSI1-3), so that `?action=` and `?actor=` find them too. Run
 * once after deploying this version over an older table; safe to run again
 * (an event that has its keys is skipped, and each write is conditioned on
 * the keys being absent). A maintenance Scan, never a request's.
 */
export async function backfillAuditIndex(
  documents: DynamoDBDocumentClient,
  tableName: string,
): Promise<{ scanned: number; updated: number }> {
  let scanned = 0;
  let updated = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(SK, :event) AND attribute_not_exists(GSI1PK)',
        ExpressionAttributeValues: { ':event': auditEventPrefix },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    scanned += page.ScannedCount ?? 0;
    for (const item of (page.Items ?? []) as (AuditEvent & { PK: string; SK: string })[]) {
      const keys = auditEventIndexKeys(workspaceIdOf(item.PK), item.id, item.action, item.actor.userId);
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { PK: item.PK, SK: item.SK },
            UpdateExpression: `SET ${Object.keys(keys)
              .map((name) => `${name} = :${name}`)
              .join(', ')}`,
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(GSI1PK)',
            ExpressionAttributeValues: Object.fromEntries(
              Object.entries(keys).map(([name, value]) => [`:${name}`, value]),
            ),
          }),
        );
        updated += 1;
      } catch (error) {
        // Another run got there first.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { scanned, updated };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { table: { type: 'string' }, endpoint: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.table) {
    console.log(`Usage: npm run backfill:audit-index -- --table <TableName output> [--endpoint <DynamoDB URL>]

Uses the AWS credentials and region of the environment (or --endpoint, e.g. DynamoDB Local).`);
    process.exit(values.help ? 0 : 1);
  }
  const client = new DynamoDBClient({ ...(values.endpoint ? { endpoint: values.endpoint } : {}) });
  const documents = DynamoDBDocumentClient.from(client);
  const { scanned, updated } = await backfillAuditIndex(documents, values.table);
  console.log(`Scanned ${scanned} items; gave ${updated} audit events their index keys.`);
  client.destroy();
}
