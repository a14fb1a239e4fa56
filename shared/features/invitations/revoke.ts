import { requireActive } from '../../access/guards';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { addressKey, invitationKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { addressHeldBy } from '../members/items';
import { type InvitationItem, statusOf } from './items';
import {
  closeInvitation,
  forgetToken,
  invitationChange,
  requireManagedBy,
  requirePending,
  unchangedSince,
} from './records';

/** The link dies and the address is free for a new invitation. */
export async function revokeInvitation(
  actor: MemberItem,
  workspace: WorkspaceItem,
  item: InvitationItem,
  context: RequestContext,
): Promise<void> {
  const { now } = context;
  requireManagedBy(actor, item);
  requireActive(workspace);
  requirePending(item);
  const unchanged = unchangedSince(item);
  const status = statusOf(item, now);
  // An expired invitation's address may already belong to a newer invitation: leave it alone then.
  const releaseAddress: TransactStep[] =
    status === 'expired'
      ? []
      : [
          {
            delete: { Key: addressKey(workspace.id, item.email), ...addressHeldBy(item.id) },
            onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
          },
        ];
  await transact([
    {
      update: {
        Key: invitationKey(workspace.id, item.id),
        UpdateExpression: `SET #status = :revoked, revokedAt = :now, revokedBy = :actor ${closeInvitation}`,
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
    ...invitationChange(actor, item, context, {
      action: 'invitation.revoked',
      before: { status, email: item.email },
      after: { status: 'revoked' },
    }),
  ]);
}
