/**
 * The single table's shape, used both by the CDK stack and by the local
 * server when it creates the table in DynamoDB Local, so the two never drift.
 */
export const tableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  timeToLiveAttribute: 'ttl',
  /** Every write's new image goes to the table's stream: the outbox's way to the mail queue. */
  streamView: 'NEW_IMAGE',
  globalSecondaryIndexes: [
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
    { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
  ],
} as const;

const [first, second, third] = tableDefinition.globalSecondaryIndexes;
export const gsi1 = first.indexName;
export const gsi2 = second.indexName;
export const gsi3 = third.indexName;
