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
  /** The member the request is about, when asked for. */
  target: MemberItem | undefined;
}

/**
 * The caller's membership, read strongly consistent so that a role change or
 * a removal applies to the very next request: one DynamoDB request, which
 * also brings the workspace item and the member the request is about when
 * the operation needs them.
 */
export async function loadAccess(
  workspaceId: string,
  userId: string,
  options: { withWorkspace: boolean; targetUserId?: string | undefined },
): Promise<LoadedAccess> {
  const { withWorkspace, targetUserId } = options;
  const otherTarget = targetUserId !== undefined && targetUserId !== userId;
  if (!withWorkspace && !otherTarget) {
    const { Item } = await dynamo.send(
      new GetCommand({ TableName: tableName, Key: memberKey(workspaceId, userId), ConsistentRead: true }),
    );
    const membership = Item as MemberItem | undefined;
    return { membership, workspace: undefined, target: targetUserId === undefined ? undefined : membership };
  }
  const callerKey = memberKey(workspaceId, userId);
  const targetKey = otherTarget ? memberKey(workspaceId, targetUserId) : undefined;
  const keys = [
    callerKey,
    ...(withWorkspace ? [workspaceKey(workspaceId)] : []),
    ...(targetKey ? [targetKey] : []),
  ];
  const items = await batchGetConsistent(keys);
  const find = (key: { SK: string } | undefined) =>
    key ? items.find((item) => item.SK === key.SK) : undefined;
  const membership = find(callerKey) as MemberItem | undefined;
  return {
    membership,
    workspace: withWorkspace ? (find(workspaceKey(workspaceId)) as WorkspaceItem | undefined) : undefined,
    target:
      targetUserId === undefined
        ? undefined
        : ((otherTarget ? find(targetKey) : membership) as MemberItem | undefined),
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
