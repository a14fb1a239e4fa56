import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '../db/client';
import { invitationKey, invitationTokenKey, inviteeListKey } from '../db/keys';
import type { TransactStep } from '../db/transact';
import { AppError } from '../http/errors';
import { enforce } from '../permissions';
import { epochSeconds, type InvitationItem, invitationRetentionMs } from './invitation-items';
import type { MemberItem, WorkspaceItem } from './items';

/** The invitation item with its keys; GSI1 lists it under the invited address while pending. */
export const invitationRecord = (item: InvitationItem) => ({
  ...invitationKey(item.workspaceId, item.id),
  ...(item.status === 'pending' ? inviteeListKey(item.email, item.createdAt, item.id) : {}),
  ...item,
  ttl: epochSeconds(Date.parse(item.validUntil) + invitationRetentionMs),
});

export const tokenRecord = (item: InvitationItem) => ({
  ...invitationTokenKey(item.tokenHash),
  workspaceId: item.workspaceId,
  invitationId: item.id,
  ttl: epochSeconds(Date.parse(item.validUntil) + invitationRetentionMs),
});

export const invitationTarget = (item: InvitationItem) => ({ type: 'invitation' as const, id: item.id });

export async function getInvitationItem(workspaceId: string, invitationId: string): Promise<InvitationItem> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName,
      Key: invitationKey(workspaceId, invitationId),
      ConsistentRead: true,
    }),
  );
  if (!Item) throw new AppError('INVITATION_NOT_FOUND', 'This workspace has no such invitation.');
  return Item as InvitationItem;
}

export function requirePending(item: InvitationItem): void {
  if (item.status !== 'pending') {
    throw new AppError('INVITATION_NOT_PENDING', `This invitation was already ${item.status}.`);
  }
}

/** The invitation's current link stops working: its token item goes, in the same transaction. */
export const forgetToken = (item: InvitationItem): TransactStep => ({
  delete: { Key: invitationTokenKey(item.tokenHash) },
});

/** The invitation is still the one decided on: pending, with the same link. */
export const unchangedSince = (item: InvitationItem) => ({
  ConditionExpression: '#status = :pending AND tokenHash = :tokenHash',
  names: { '#status': 'status' },
  values: { ':pending': 'pending', ':tokenHash': item.tokenHash },
  // Still pending but with another link: a concurrent resend won.
  onConditionFailed: (current: Record<string, unknown> | undefined) =>
    new AppError(current?.status === 'pending' ? 'CONCURRENT_UPDATE' : 'INVITATION_NOT_PENDING'),
});

/** The invitation, if the actor may act on it (D1) and it is still pending. */
export async function pendingInvitationFor(
  actor: MemberItem,
  workspace: WorkspaceItem,
  invitationId: string,
  action: 'resend' | 'revoke',
): Promise<InvitationItem> {
  const item = await getInvitationItem(workspace.id, invitationId);
  enforce({
    kind: 'invitationManagement',
    action,
    actorRole: actor.role,
    actorId: actor.userId,
    inviterId: item.invitedBy.userId,
    settings: workspace.settings,
  });
  requirePending(item);
  return item;
}
