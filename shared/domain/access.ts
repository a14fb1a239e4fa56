import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '../db/client';
import { memberKey, workspaceKey } from '../db/keys';
import type { MemberItem, WorkspaceItem } from './items';

export interface LoadedAccess {
  membership: MemberItem | undefined;
  workspace: WorkspaceItem | undefined;
}

/**
 * The caller's membership, read strongly consistent so that a role change or
 * a removal applies to the very next request: one DynamoDB request, which
 * also brings the workspace item when the operation needs it.
 */
export async function loadAccess(
  workspaceId: string,
  userId: string,
  withWorkspace: boolean,
): Promise<LoadedAccess> {
  if (!withWorkspace) {
    const { Item } = await dynamo.send(
      new GetCommand({ TableName: tableName, Key: memberKey(workspaceId, userId), ConsistentRead: true }),
    );
    return { membership: Item as MemberItem | undefined, workspace: undefined };
  }
  const keys = [memberKey(workspaceId, userId), workspaceKey(workspaceId)];
  const items = await batchGetConsistent(keys);
  return {
    membership: items.find((item) => item.SK === keys[0]?.SK) as MemberItem | undefined,
    workspace: items.find((item) => item.SK === keys[1]?.SK) as WorkspaceItem | undefined,
  };
}

/** BatchGetItem that also fetches whatever DynamoDB left unprocessed. */
export async function batchGetConsistent(keys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + 100);
    while (pending && pending.length > 0) {
      const result: BatchGetCommandOutput = await dynamo.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return found;
}

export const lastActiveResolutionMs = 15 * 60 * 1000;

/**
 * Keeps `lastActiveAt` current at most once per member per 15 minutes; the
 * condition makes parallel requests write it only once.
 */
export async function touchLastActive(membership: MemberItem, now: Date): Promise<void> {
  const last = membership.lastActiveAt ? Date.parse(membership.lastActiveAt) : 0;
  if (now.getTime() - last < lastActiveResolutionMs) return;
  const threshold = new Date(now.getTime() - lastActiveResolutionMs).toISOString();
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName,
        Key: memberKey(membership.workspaceId, membership.userId),
        UpdateExpression: 'SET lastActiveAt = :now',
        ConditionExpression:
          'attribute_exists(PK) AND (attribute_not_exists(lastActiveAt) OR lastActiveAt = :null OR lastActiveAt < :threshold)',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':threshold': threshold, ':null': null },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
