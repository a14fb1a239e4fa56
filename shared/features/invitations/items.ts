import { createHash, randomBytes } from 'node:crypto';
import type { NumberAccess, Role } from '../../access/roles';
import { dayMs, epochSeconds } from '../../core/time';
import { addressKey, invitationKey, invitationTokenKey, inviteeListKey } from '../../db/keys';
import type { DeliveryState } from '../../email/delivery';

/** An invitation link works for 7 days. */
export const invitationValidityMs = 7 * dayMs;
/** Expired and finished invitations stay listable for 30 days more, then TTL removes them. */
const invitationRetentionMs = 30 * dayMs;

type StoredInvitationStatus = 'pending' | 'accepted' | 'revoked';
export type InvitationStatus = StoredInvitationStatus | 'expired';

export type StoredPhoneAssignment =
  | { mode: 'new' }
  | { mode: 'share'; numbers: { id: string; number: string }[]; access: NumberAccess };

export interface InvitationItem {
  id: string;
  workspaceId: string;
  /** The name the email showed; the preview page shows it too. */
  workspaceName: string;
  email: string;
  role: Role;
  phoneAssignment: StoredPhoneAssignment;
  status: StoredInvitationStatus;
  /** SHA-256 of the link's token: the token itself is never stored. */
  tokenHash: string;
  invitedBy: { userId: string; name: string };
  /**
   * Whose authority the invitation stands on: whoever resent it last (absent
   * until a resend, and on invitations written before this field existed:
   * then its sender). D1 must still hold for that member when it is accepted.
   */
  authorizedBy?: string;
  createdAt: string;
  validUntil: string;
  delivery: DeliveryState;
  acceptedAt?: string;
  acceptedBy?: string;
  revokedAt?: string;
  revokedBy?: string;
}

/** The member an invitation stands on. */
export const authorityOf = (item: InvitationItem) => item.authorizedBy ?? item.invitedBy.userId;

export function statusOf(item: InvitationItem, now: Date): InvitationStatus {
  if (item.status === 'pending' && Date.parse(item.validUntil) <= now.getTime()) return 'expired';
  return item.status;
}

export const toInvitation = (item: InvitationItem, now: Date) => ({
  id: item.id,
  email: item.email,
  role: item.role,
  phoneAssignment:
    item.phoneAssignment.mode === 'new'
      ? { mode: 'new' as const }
      : {
          mode: 'share' as const,
          phoneNumberIds: item.phoneAssignment.numbers.map((number) => number.id),
          access: item.phoneAssignment.access,
        },
  status: statusOf(item, now),
  invitedBy: item.invitedBy,
  createdAt: item.createdAt,
  expiresAt: item.validUntil,
  delivery: { status: item.delivery.status, reason: item.delivery.reason, attempts: item.delivery.attempts },
  acceptedAt: item.acceptedAt ?? null,
  revokedAt: item.revokedAt ?? null,
});

export type Invitation = ReturnType<typeof toInvitation>;

/** `jane@acme.com` → `j***@acme.com`: enough for its owner to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** 32 random bytes for the link, and the hash that the table keeps instead. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

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
