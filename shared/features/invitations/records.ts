import { decisionStillHolds } from '../../access/guards';
import { enforce } from '../../access/rules';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { getConsistent } from '../../db/batch';
import { invitationKey, invitationTokenKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { type AuditAction, auditStep } from '../audit/events';
import { type InvitationItem, tokenRecord } from './items';

/** The invitation's current link starts working. */
export const issueToken = (item: InvitationItem): TransactStep => ({
  put: { Item: tokenRecord(item), ConditionExpression: 'attribute_not_exists(PK)' },
});

/** The invitation's current link stops working: its token item goes, in the same transaction. */
export const forgetToken = (item: InvitationItem): TransactStep => ({
  delete: { Key: invitationTokenKey(item.tokenHash) },
});

export const invitationTarget = (item: InvitationItem) => ({ type: 'invitation', id: item.id });

export async function getInvitationItem(workspaceId: string, invitationId: string): Promise<InvitationItem> {
  const item = await getConsistent<InvitationItem>(invitationKey(workspaceId, invitationId));
  if (!item) throw new AppError('INVITATION_NOT_FOUND', 'This workspace has no such invitation.');
  return item;
}

export function requirePending(item: InvitationItem): void {
  if (item.status !== 'pending') {
    throw new AppError('INVITATION_NOT_PENDING', `This invitation was already ${item.status}.`);
  }
}

/**
 * An invitation that is no longer pending leaves its invitee's list ("my
 * invitations"), and lets go of its email: without the message id, the
 * mailer withdraws an email still queued instead of sending a dead link.
 */
export const closeInvitation = 'REMOVE GSI1PK, GSI1SK, delivery.messageId';

/** The condition that the invitation is still the one decided on: pending, with the same link. */
export const unchangedSince = (item: InvitationItem) => ({
  ConditionExpression: '#status = :pending AND tokenHash = :tokenHash',
  names: { '#status': 'status' },
  values: { ':pending': 'pending', ':tokenHash': item.tokenHash },
  // Still pending but with another link: a concurrent resend won.
  onConditionFailed: (current: Record<string, unknown> | undefined) =>
    new AppError(current?.status === 'pending' ? 'CONCURRENT_UPDATE' : 'INVITATION_NOT_PENDING'),
});

/** Only its sender, an owner or an admin resends or revokes an invitation (403). */
export function requireManagedBy(actor: MemberItem, item: InvitationItem): void {
  enforce({
    kind: 'invitationManagement',
    actorRole: actor.role,
    actorId: actor.userId,
    inviterId: item.invitedBy.userId,
  });
}

/**
 * What every change an actor makes to an invitation writes besides the
 * change itself: the re-checks of the decision (workspace active, actor's
 * role unchanged) and the audit event.
 */
export function invitationChange(
  actor: MemberItem,
  item: InvitationItem,
  context: RequestContext,
  event: { action: AuditAction; before: Record<string, unknown> | null; after: Record<string, unknown> },
): TransactStep[] {
  return [
    ...decisionStillHolds(actor),
    auditStep({ ...context, workspaceId: item.workspaceId, target: invitationTarget(item), ...event }),
  ];
}
