import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The cold-start baseline: a Lambda that does nothing but one GetItem with
 * the DynamoDB client built exactly as shared/db/client.ts builds it. At
 * import it only constructs the client, like the real functions; the bench
 * bundles it with the functions' esbuild options, and also calls it in
 * process for the bare GetItem round trip.
 */
const tableName = process.env.TABLE_NAME ?? '';

const dynamo = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT || undefined }),
  { marshallOptions: { removeUndefinedValues: true } },
);

export const handler = async (event: { key: Record<string, string> }) => {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName, Key: event.key, ConsistentRead: true }),
  );
  return Item;
};
