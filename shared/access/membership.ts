import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { minuteMs } from '../core/time';
import { batchGetConsistent, getConsistent, itemAt } from '../db/batch';
import { dynamo, tableName } from '../db/client';
import { memberKey, phoneNumberKey, workspaceKey } from '../db/keys';
import type { NumberAccessItem } from './numbers';
import { activityAttribute, type MemberItem, type WorkspaceItem } from './tenancy';

export interface LoadedAccess {
  membership: MemberItem | undefined;
  workspace: WorkspaceItem | undefined;
  /** The member the request is about, when asked for. */
  target: MemberItem | undefined;
  /** The number the request is about, when asked for. */
  phoneNumber: NumberAccessItem | undefined;
}

/**
 * The caller's membership, read strongly consistent so that a role change or
 * a removal applies to the very next request: one DynamoDB request, which
 * also brings the workspace item, the member and the number the request is
 * about when the operation needs them.
 */
export async function loadAccess(
  workspaceId: string,
  userId: string,
  options: { withWorkspace: boolean; targetUserId?: string | undefined; phoneNumberId?: string | undefined },
): Promise<LoadedAccess> {
  const { withWorkspace, targetUserId, phoneNumberId } = options;
  const callerKey = memberKey(workspaceId, userId);
  const otherTarget = targetUserId !== undefined && targetUserId !== userId;
  if (!withWorkspace && !otherTarget && phoneNumberId === undefined) {
    const membership = await getConsistent<MemberItem>(callerKey);
    return {
      membership,
      workspace: undefined,
      target: targetUserId === undefined ? undefined : membership,
      phoneNumber: undefined,
    };
  }
  const targetKey = otherTarget ? memberKey(workspaceId, targetUserId) : undefined;
  const numberKey = phoneNumberId === undefined ? undefined : phoneNumberKey(workspaceId, phoneNumberId);
  const found = await batchGetConsistent([
    callerKey,
    ...(withWorkspace ? [workspaceKey(workspaceId)] : []),
    ...(targetKey ? [targetKey] : []),
    ...(numberKey ? [numberKey] : []),
  ]);
  const membership = itemAt(found, callerKey) as MemberItem | undefined;
  return {
    membership,
    workspace: withWorkspace
      ? (itemAt(found, workspaceKey(workspaceId)) as WorkspaceItem | undefined)
      : undefined,
    target: targetKey
      ? (itemAt(found, targetKey) as MemberItem | undefined)
      : targetUserId
        ? membership
        : undefined,
    phoneNumber: numberKey ? (itemAt(found, numberKey) as NumberAccessItem | undefined) : undefined,
  };
}

const lastActiveResolutionMs = 15 * minuteMs;

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
        UpdateExpression: 'SET #activity = :now',
        ConditionExpression:
          'attribute_exists(PK) AND (attribute_not_exists(#activity) OR #activity = :null OR #activity < :threshold)',
        ExpressionAttributeNames: { '#activity': activityAttribute },
        ExpressionAttributeValues: { ':now': now.toISOString(), ':threshold': threshold, ':null': null },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
