import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { phoneNumberPrefix, workspacePartition } from '../../db/keys';

/**
 * The workspace's numbers, counted once, when a workspace from before billing
 * gets its billing item (by its first billed change, or the backfill script).
 */
export async function countNumbers(
  workspaceId: string,
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': workspacePartition(workspaceId), ':prefix': phoneNumberPrefix },
        Select: 'COUNT',
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}
