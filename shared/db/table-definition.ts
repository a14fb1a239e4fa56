/**
 * The single table's shape, used both by the CDK stack and by the local
 * server when it creates the table in DynamoDB Local, so the two never drift.
 */
export const tableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  timeToLiveAttribute: 'ttl',
  globalSecondaryIndexes: [
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
} as const;

export const gsi1 = tableDefinition.globalSecondaryIndexes[0].indexName;
export const gsi2 = tableDefinition.globalSecondaryIndexes[1].indexName;
