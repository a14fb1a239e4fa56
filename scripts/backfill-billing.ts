import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { WorkspaceItem } from '../shared/access/tenancy';
import { workspaceKey } from '../shared/db/keys';
import { billingRecord, firstBilling } from '../shared/features/billing/items';
import { countNumbers } from '../shared/features/billing/number-count';

/**
 * Gives every workspace created before billing existed its billing item, as
 * its first billed change would (the period running today, anchored on its
 * creation day, no back charge), so that the daily renewal finds it on its
 * list. Run once after deploying billing over an older table; safe to run
 * again and beside live traffic (each write is conditioned on the item being
 * absent: a billed change that wrote it first wins). A maintenance Scan,
 * never a request's.
 */
export async function backfillBilling(
  documents: DynamoDBDocumentClient,
  tableName: string,
  now = new Date(),
): Promise<{ workspaces: number; created: number }> {
  let workspaces = 0;
  let created = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'SK = :workspace',
        ExpressionAttributeValues: { ':workspace': workspaceKey('').SK },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const workspace of (page.Items ?? []) as WorkspaceItem[]) {
      workspaces += 1;
      const numbers = await countNumbers(workspace.id, documents, tableName);
      const item = firstBilling(workspace, numbers, now);
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: billingRecord(item, { renews: workspace.status !== 'cancelled' }),
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        created += 1;
      } catch (error) {
        // Billed already (before this run, or by a change meanwhile).
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { workspaces, created };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { table: { type: 'string' }, endpoint: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.table) {
    console.log(`Usage: npm run backfill:billing -- --table <TableName output> [--endpoint <DynamoDB URL>]

Uses the AWS credentials and region of the environment (or --endpoint, e.g. DynamoDB Local).`);
    process.exit(values.help ? 0 : 1);
  }
  const client = new DynamoDBClient({ ...(values.endpoint ? { endpoint: values.endpoint } : {}) });
  const documents = DynamoDBDocumentClient.from(client);
  const { workspaces, created } = await backfillBilling(documents, values.table);
  console.log(`Read ${workspaces} workspaces; gave ${created} of them their billing item.`);
  client.destroy();
}
