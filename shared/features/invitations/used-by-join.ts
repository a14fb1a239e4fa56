import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { getConsistent } from '../../db/batch';
import { invitationKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { auditStep } from '../audit/events';
import { type InvitationItem, statusOf } from './items';
import { closeInvitation, forgetToken, invitationTarget, unchangedSince } from './records';

/** The pending invitation holding a person's address in a workspace, if it is still valid. */
export async function pendingInvitation(
  workspaceId: string,
  invitationId: string,
  now: Date,
): Promise<InvitationItem | undefined> {
  const item = await getConsistent<InvitationItem>(invitationKey(workspaceId, invitationId));
  return item && statusOf(item, now) === 'pending' ? item : undefined;
}

/** Joining another way gives what this invitation gives: a member's seat and a number to pick. */
export const givesOnlyAMemberSeat = (item: InvitationItem) =>
  item.role === 'member' && item.phoneAssignment.mode === 'new';

/**
 * Someone with a pending invitation joined another way (through the
 * company's domain) with the same outcome: the invitation is used up,
 * accepted by them, in the join's transaction, so that it can be used
 * neither twice nor after, and its link dies.
 */
export function invitationUsedByJoin(
  item: InvitationItem,
  joinerUserId: string,
  context: RequestContext,
  via: string,
): TransactStep[] {
  const unchanged = unchangedSince(item);
  return [
    {
      update: {
        Key: invitationKey(item.workspaceId, item.id),
        UpdateExpression: `SET #status = :accepted, acceptedAt = :now, acceptedBy = :user ${closeInvitation}`,
        ConditionExpression: unchanged.ConditionExpression,
        ExpressionAttributeNames: unchanged.names,
        ExpressionAttributeValues: {
          ...unchanged.values,
          ':accepted': 'accepted',
          ':now': context.now.toISOString(),
          ':user': joinerUserId,
        },
      },
      onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
    },
    forgetToken(item),
    auditStep({
      ...context,
      workspaceId: item.workspaceId,
      action: 'invitation.accepted',
      target: invitationTarget(item),
      before: { status: 'pending' },
      after: { status: 'accepted', userId: joinerUserId, via },
    }),
  ];
}
