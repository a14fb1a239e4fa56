import { addressKey, invitationKey, invitationPrefix, workspacePartition } from '../db/keys';
import { type FilterPart, newestInWorkspace, type Page, type PageParams } from '../db/query';
import { type TransactStep, transact } from '../db/transact';
import { AppError } from '../http/errors';
import { auditStep } from './audit';
import { actorStillHasRole, workspaceIsActive } from './conditions';
import {
  type Invitation,
  type InvitationItem,
  type InvitationStatus,
  statusOf,
  toInvitation,
} from './invitation-items';
import { forgetToken, invitationTarget, pendingInvitationFor, unchangedSince } from './invitation-records';
import type { MemberItem, WorkspaceItem } from './items';
import type { ChangeContext } from './workspaces';

/** The link dies and the address is free for a new invitation. */
export async function revokeInvitation(
  actor: MemberItem,
  workspace: WorkspaceItem,
  invitationId: string,
  context: ChangeContext,
): Promise<void> {
  const { now } = context;
  const item = await pendingInvitationFor(actor, workspace, invitationId, 'revoke');
  const unchanged = unchangedSince(item);
  // An expired invitation's address may already belong to a newer invitation: leave it alone then.
  const releaseAddress: TransactStep[] =
    statusOf(item, now) === 'expired'
      ? []
      : [
          {
            delete: {
              Key: addressKey(workspace.id, item.email),
              ConditionExpression: 'invitationId = :id',
              ExpressionAttributeValues: { ':id': item.id },
            },
            onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
          },
        ];
  await transact([
    {
      update: {
        Key: invitationKey(workspace.id, item.id),
        UpdateExpression:
          'SET #status = :revoked, revokedAt = :now, revokedBy = :actor REMOVE GSI1PK, GSI1SK',
        ConditionExpression: unchanged.ConditionExpression,
        ExpressionAttributeNames: unchanged.names,
        ExpressionAttributeValues: {
          ...unchanged.values,
          ':revoked': 'revoked',
          ':now': now.toISOString(),
          ':actor': actor.userId,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: unchanged.onConditionFailed,
    },
    forgetToken(item),
    ...releaseAddress,
    workspaceIsActive(workspace.id),
    actorStillHasRole(workspace.id, actor.userId, actor.role),
    auditStep({
      ...context,
      workspaceId: workspace.id,
      action: 'invitation.revoked',
      target: invitationTarget(item),
      before: { status: statusOf(item, now), email: item.email },
      after: { status: 'revoked' },
    }),
  ]);
}

/** Filters of the invitation list; `expired` and `pending` split the stored pending status by date. */
function statusFilter(status: InvitationStatus | undefined, now: Date): FilterPart | undefined {
  const names: Record<string, string> = { '#status': 'status' };
  switch (status) {
    case undefined:
      return undefined;
    case 'pending':
      return {
        expression: '#status = :pending AND validUntil > :now',
        names,
        values: { ':pending': 'pending', ':now': now.toISOString() },
      };
    case 'expired':
      return {
        expression: '#status = :pending AND validUntil <= :now',
        names,
        values: { ':pending': 'pending', ':now': now.toISOString() },
      };
    default:
      return { expression: '#status = :status', names, values: { ':status': status } };
  }
}

/** Newest first. Owners and admins see every invitation; a member sees the ones they sent. */
export async function listInvitations(
  actor: MemberItem,
  filter: { status?: InvitationStatus | undefined },
  page: PageParams,
  now: Date,
): Promise<Page<Invitation>> {
  const byStatus = statusFilter(filter.status, now);
  const filters: FilterPart[] = byStatus ? [byStatus] : [];
  if (actor.role === 'member') {
    filters.push({ expression: 'invitedBy.userId = :me', values: { ':me': actor.userId } });
  }
  const result = await newestInWorkspace<InvitationItem>(
    workspacePartition(actor.workspaceId),
    invitationPrefix,
    filters,
    {
      list: 'invitations',
      scope: `${actor.workspaceId}#${actor.userId}?status=${filter.status ?? ''}`,
      ...page,
    },
  );
  return { items: result.items.map((item) => toInvitation(item, now)), nextCursor: result.nextCursor };
}
