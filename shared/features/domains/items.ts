import type { Caller } from '../../core/context';
import { dayMs } from '../../core/time';
import { claimedDomainListKey, domainClaimKey, joinRequestKey, joinRequestListKeys } from '../../db/keys';
import { challengeName, challengeValue } from './dns';

/** A pending claim can be verified for 7 days; then a new claim (a new token) is needed. */
export const claimValidityMs = 7 * dayMs;

export const domainStatuses = ['pending', 'verified', 'lapsed', 'expired'] as const;
export type DomainStatus = (typeof domainStatuses)[number];
export const joinPolicies = ['automatic', 'approval', 'off'] as const;
export type JoinPolicy = (typeof joinPolicies)[number];

/** A workspace's claim on a domain, as stored in the workspace's partition. */
export interface DomainClaimItem {
  workspaceId: string;
  domain: string;
  status: DomainStatus;
  joinPolicy: JoinPolicy;
  includeSubdomains: boolean;
  /** The challenge token (128 random bits): it is published in DNS anyway, so it is no secret. */
  token: string;
  claimedAt: string;
  claimedBy: { userId: string };
  expiresAt: string;
  verifiedAt?: string;
  lastCheckedAt?: string;
  lastSeenAt?: string;
  lapsedAt?: string;
  /** Moves with every change of status or settings: the condition that a decision's reading still holds. */
  revision: number;
}

/**
 * The domain's one holder, under the domain's own key: which workspace
 * verified it, and what a joiner needs to know, so that looking for a
 * workspace to join reads this item alone.
 */
export interface VerifiedDomainItem {
  domain: string;
  workspaceId: string;
  status: 'verified' | 'lapsed';
  joinPolicy: JoinPolicy;
  includeSubdomains: boolean;
}

/** The status as of `now`: a pending claim past its expiry is expired, whatever the daily job has stored yet. */
export function statusOf(item: DomainClaimItem, now: Date): DomainStatus {
  if (item.status === 'pending' && Date.parse(item.expiresAt) <= now.getTime()) return 'expired';
  return item.status;
}

/** What Owners and Admins are told when they claim or verify: who can join, and what it costs. */
function noticeFor(item: Pick<DomainClaimItem, 'domain' | 'includeSubdomains' | 'joinPolicy'>): string {
  const holders = item.includeSubdomains
    ? `an address at ${item.domain} or at any of its subdomains`
    : `an address at ${item.domain}`;
  const joins = item.joinPolicy === 'approval' ? 'ask to join this workspace' : 'join this workspace';
  return `While the domain is verified, anyone with ${holders} (verified by their sign-in provider) can ${joins} as a member, without an invitation. Claim it only if you trust every holder of such an address, and note that each person who joins takes a paid seat.`;
}

export const toDomain = (item: DomainClaimItem, now: Date) => {
  const status = statusOf(item, now);
  return {
    domain: item.domain,
    status,
    joinPolicy: item.joinPolicy,
    includeSubdomains: item.includeSubdomains,
    record: { type: 'TXT' as const, name: challengeName(item.domain), value: challengeValue(item.token) },
    claimedAt: item.claimedAt,
    claimedBy: item.claimedBy,
    expiresAt: status === 'pending' ? item.expiresAt : null,
    verifiedAt: item.verifiedAt ?? null,
    lastCheckedAt: item.lastCheckedAt ?? null,
    lastSeenAt: item.lastSeenAt ?? null,
    notice: noticeFor(item),
  };
};

export type Domain = ReturnType<typeof toDomain>;

/** The claim item with its keys; on the daily job's list unless expired. */
export function domainClaimRecord(item: DomainClaimItem) {
  return {
    ...domainClaimKey(item.workspaceId, item.domain),
    ...(item.status === 'expired' ? {} : claimedDomainListKey(item.workspaceId, item.domain)),
    ...item,
  };
}

export const domainTarget = (domain: string) => ({ type: 'domain', id: domain });

/** What the domain's settings were, for an audit event's before and after. */
export const domainSettings = (
  item: Pick<DomainClaimItem, 'status' | 'joinPolicy' | 'includeSubdomains'>,
) => ({
  status: item.status,
  joinPolicy: item.joinPolicy,
  includeSubdomains: item.includeSubdomains,
});

/**
 * Changes the daily check makes have no person behind them: audit events
 * name this actor (never a member of another workspace, as in a takeover).
 */
export const domainCheckActor: Caller = {
  userId: 'system:domain-check',
  email: '',
  emailVerified: false,
  name: 'Switchboard',
};

export const joinRequestStatuses = ['pending', 'approved', 'declined'] as const;
export type JoinRequestStatus = (typeof joinRequestStatuses)[number];

export interface JoinRequestItem {
  workspaceId: string;
  userId: string;
  email: string;
  name: string;
  /** The verified domain the person's address matched. */
  domain: string;
  status: JoinRequestStatus;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: { userId: string };
}

export const joinRequestRecord = (item: JoinRequestItem) => ({
  ...joinRequestKey(item.workspaceId, item.userId),
  ...joinRequestListKeys(item),
  ...item,
});

export const toJoinRequest = (item: JoinRequestItem) => ({
  workspaceId: item.workspaceId,
  userId: item.userId,
  email: item.email,
  name: item.name,
  domain: item.domain,
  status: item.status,
  createdAt: item.createdAt,
  decidedAt: item.decidedAt ?? null,
  decidedBy: item.decidedBy ?? null,
});

export type JoinRequest = ReturnType<typeof toJoinRequest>;

export const joinRequestTarget = (item: Pick<JoinRequestItem, 'userId'>) => ({
  type: 'joinRequest',
  id: item.userId,
});
