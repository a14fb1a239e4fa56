import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { invitationKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { auditStep } from '../audit/events';
import { closeInvitation } from './records';

/**
 * Someone with a pending invitation joined another way (through the
 * company's domain): the invitation is used up, accepted by them, in the
 * join's transaction, so that it can be used neither twice nor after.
 */
export function invitationUsedByJoin(
  workspaceId: string,
  invitationId: string,
  joinerUserId: string,
  context: RequestContext,
  via: string,
): TransactStep[] {
  const at = context.now.toISOString();
  return [
    {
      update: {
        Key: invitationKey(workspaceId, invitationId),
        UpdateExpression: `SET #status = :accepted, acceptedAt = :now, acceptedBy = :user ${closeInvitation}`,
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':accepted': 'accepted',
          ':pending': 'pending',
          ':now': at,
          ':user': joinerUserId,
        },
      },
      onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
    },
    auditStep({
      ...context,
      workspaceId,
      action: 'invitation.accepted',
      target: { type: 'invitation', id: invitationId },
      before: { status: 'pending' },
      after: { status: 'accepted', userId: joinerUserId, via },
    }),
  ];
}
