/**
 * Runs before each test file: the worker's own DynamoDB Local access key,
 * hence its own database (the run's DynamoDB Local shares none), so that
 * the two workers' files never wait on one database's lock.
 */
process.env.DYNAMODB_LOCAL_KEY = `worker${process.env.VITEST_POOL_ID ?? '0'}`;
