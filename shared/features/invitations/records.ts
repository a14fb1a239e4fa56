import { decisionStillHolds } from '../../access/guards';
import { enforce } from '../../access/rules';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { epochSeconds } from '../../core/time';
import { getConsistent } from '../../db/batch';
import { addressKey, invitationKey, invitationTokenKey, inviteeListKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { type AuditAction, auditStep } from '../audit/events';
import { type InvitationItem, invitationRetentionMs } from './items';

/** TTL removes an invitation's items (and the address it holds) 30 days after it expires. */
const retentionTtl = (item: InvitationItem) =>
  epochSeconds(Date.parse(item.validUntil) + invitationRetentionMs);

/** The invitation item with its keys; GSI1 lists it under the invited address while pending. */
export const invitationRecord = (item: InvitationItem) => ({
  ...invitationKey(item.workspaceId, item.id),
  ...(item.status === 'pending' ? inviteeListKey(item.email, item.createdAt, item.id) : {}),
  ...item,
  ttl: retentionTtl(item),
});

/** The link's item: found by the token's hash, it points at the invitation. */
export const tokenRecord = (item: InvitationItem) => ({
  ...invitationTokenKey(item.tokenHash),
  workspaceId: item.workspaceId,
  invitationId: item.id,
  ttl: retentionTtl(item),
});

/** The address item of a pending invitation: it holds the address until the invitation expires. */
export const invitationAddressRecord = (item: InvitationItem) => ({
  ...addressKey(item.workspaceId, item.email),
  workspaceId: item.workspaceId,
  email: item.email,
  holder: 'invitation',
  invitationId: item.id,
  validUntil: item.validUntil,
  ttl: retentionTtl(item),
});

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

/** The condition that the invitation is still the one decided on: pending, with the same link. */
export const unchangedSince = (item: InvitationItem) => ({
  ConditionExpression: '#status = :pending AND tokenHash = :tokenHash',
  names: { '#status': 'status' },
  values: { ':pending': 'pending', ':tokenHash': item.tokenHash },
  // Still pending but with another link: a concurrent resend won.
  onConditionFailed: (current: Record<string, unknown> | undefined) =>
    new AppError(current?.status === 'pending' ? 'CONCURRENT_UPDATE' : 'INVITATION_NOT_PENDING'),
});

/** The invitation, if the actor may manage it: its sender, an owner or an admin (404, else 403). */
export async function invitationManagedBy(actor: MemberItem, invitationId: string): Promise<InvitationItem> {
  const item = await getInvitationItem(actor.workspaceId, invitationId);
  enforce({
    kind: 'invitationManagement',
    actorRole: actor.role,
    actorId: actor.userId,
    inviterId: item.invitedBy.userId,
  });
  return item;
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
