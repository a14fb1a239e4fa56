import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { invitationKey, outboxKey } from '../../shared/db/keys';
import type { OutboxItem } from '../../shared/email/outbox';
import type { QueueMessage } from '../../shared/email/queue';
import type { TestApi } from './api';

/** The outbox message an invitation's delivery is about. */
export async function messageIdOf(api: TestApi, workspaceId: string, invitationId: string): Promise<string> {
  const { Item } = await api.documents.send(
    new GetCommand({
      TableName: api.tableName,
      Key: invitationKey(workspaceId, invitationId),
      ConsistentRead: true,
    }),
  );
  const messageId = Item?.delivery?.messageId as string | undefined;
  if (!messageId) throw new Error(`invitation ${invitationId} has no message`);
  return messageId;
}

export async function outboxItem(api: TestApi, messageId: string): Promise<OutboxItem | undefined> {
  const { Item } = await api.documents.send(
    new GetCommand({ TableName: api.tableName, Key: outboxKey(messageId), ConsistentRead: true }),
  );
  return Item as OutboxItem | undefined;
}

/** What the pipe puts on the queue for this message: the stream record of its insert, as JSON. */
export async function queueBody(api: TestApi, messageId: string): Promise<string> {
  const item = await outboxItem(api, messageId);
  if (!item) throw new Error(`no outbox item ${messageId}`);
  const { PK, SK } = item;
  return JSON.stringify({
    eventName: 'INSERT',
    dynamodb: { Keys: marshall({ PK, SK }), NewImage: marshall({ ...item, state: 'queued' }) },
  });
}

/** A queue message as SQS would hand it to one mailer. */
export const queueMessage = (body: string, receiveCount = 1): QueueMessage => ({
  messageId: `test-${Math.random().toString(36).slice(2)}`,
  body,
  attributes: { ApproximateReceiveCount: String(receiveCount) },
});

/** Sets outbox fields straight in the table (a mailer that claimed it and died, say). */
export async function setOutbox(
  api: TestApi,
  messageId: string,
  fields: Record<string, unknown>,
): Promise<void> {
  const names = Object.keys(fields);
  await api.documents.send(
    new UpdateCommand({
      TableName: api.tableName,
      Key: outboxKey(messageId),
      UpdateExpression: `SET ${names.map((_, index) => `#n${index} = :v${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#n${index}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name, index) => [`:v${index}`, fields[name]])),
    }),
  );
}
