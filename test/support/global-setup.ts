import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../scripts/local/dynamodb-local';
import { freePort } from '../../scripts/local/free-port';
import { startSesLocal } from '../../scripts/local/ses-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesUrl: string;
  }
}

/**
 * One DynamoDB Local and one local SES for the whole run, on free ports so a
 * developer's `npm start` can keep running; each test file makes its own table.
 * Both stop when the run ends, also when it fails.
 */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ port: await freePort(), sharedDb: false });
  let ses: Awaited<ReturnType<typeof startSesLocal>>;
  try {
    ses = await startSesLocal({ host: '127.0.0.1', port: await freePort() });
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesUrl', ses.url);
  return async () => {
    await ses.stop();
    await dynamo.stop();
  };
}
