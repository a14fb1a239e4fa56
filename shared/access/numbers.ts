import { AppError } from '../core/errors';
import { holds } from './permissions';
import type { NumberAccess } from './roles';
import type { MemberItem, WorkspaceItem } from './tenancy';

/**
 * What a number's item says about one member who holds it. The entries live
 * in the number's own item, so that a decision reads the member, the
 * workspace and the number in one request, and D4 and the plan's cap are
 * conditions of that one item.
 */
export interface NumberHolder {
  access: NumberAccess;
  numberOwner: boolean;
  notifications: { calls: boolean; messages: boolean; voicemail: boolean };
  /** Conversations before this instant are hidden from this holder (a reassignment with hideHistory). */
  historyVisibleFrom: string | null;
  since: string;
}

/** The part of a number's item that access decisions read; the numbers feature stores the rest. */
export interface NumberAccessItem {
  id: string;
  workspaceId: string;
  members: Record<string, NumberHolder>;
}

export const usesNumber = (access: NumberAccess | undefined) => access === 'exclusive' || access === 'shared';

/**
 * The member's entry on the number, if it belongs to their current
 * membership: an entry older than the member's joining is what an
 * interrupted removal left behind, and grants nothing.
 */
export function holderEntry(number: NumberAccessItem, member: MemberItem): NumberHolder | undefined {
  const entry = number.members[member.userId];
  return entry && entry.since >= member.joinedAt ? entry : undefined;
}

/** Whether the member manages the number: `numbers.updateSettings` (D5: without using it), or its number owner. */
function managesNumber(member: MemberItem, number: NumberAccessItem): boolean {
  return (
    holds(member.role, 'numbers.updateSettings', undefined) ||
    holderEntry(number, member)?.numberOwner === true
  );
}

/**
 * What a route needs of the caller on the number of its path: to see it
 * (managers and holders), to manage it, or to hold it. A number the caller
 * can neither manage nor hold is as unknown as another workspace's (404).
 */
export type NumberNeed = 'see' | 'manage' | 'hold';

export function requireNumberAccess(
  need: NumberNeed,
  member: MemberItem,
  number: NumberAccessItem | undefined,
): void {
  if (!number) throw new AppError('NUMBER_NOT_FOUND');
  const manages = managesNumber(member, number);
  const entry = holderEntry(number, member);
  if (!manages && !entry) throw new AppError('NUMBER_NOT_FOUND');
  if (need === 'manage' && !manages) throw new AppError('NUMBER_MANAGER_REQUIRED');
  if (need === 'hold' && !entry) throw new AppError('NUMBER_HOLDER_REQUIRED');
}

export const numberActions = ['call', 'text', 'view'] as const;
export type NumberAction = (typeof numberActions)[number];

export const decisionReasons = [
  'EXCLUSIVE_ACCESS',
  'SHARED_ACCESS',
  'READ_ONLY_ACCESS',
  'READ_ONLY',
  'NO_ACCESS',
  'WORKSPACE_INACTIVE',
] as const;
type DecisionReason = (typeof decisionReasons)[number];

export interface NumberDecision {
  allowed: boolean;
  reason: DecisionReason;
  access: NumberAccess | null;
  historyVisibleFrom: string | null;
  notifications: NumberHolder['notifications'] | null;
}

const grantedBy: Record<NumberAccess, DecisionReason> = {
  exclusive: 'EXCLUSIVE_ACCESS',
  shared: 'SHARED_ACCESS',
  'read-only': 'READ_ONLY_ACCESS',
};

/**
 * "May this member call, text or view on this number now?" (D5: a role
 * manages numbers, only an entry uses them). A missing member or number is
 * NO_ACCESS: the caller of this function has already answered 404 where the
 * asker may not know.
 */
export function decideNumberUse(
  workspace: Pick<WorkspaceItem, 'status'> | undefined,
  member: MemberItem | undefined,
  number: NumberAccessItem | undefined,
  action: NumberAction,
): NumberDecision {
  const entry = member && number ? holderEntry(number, member) : undefined;
  const facts = {
    access: entry?.access ?? null,
    historyVisibleFrom: entry?.historyVisibleFrom ?? null,
    notifications: entry?.notifications ?? null,
  };
  if (workspace?.status !== 'active') return { allowed: false, reason: 'WORKSPACE_INACTIVE', ...facts };
  if (!entry) return { allowed: false, reason: 'NO_ACCESS', ...facts };
  if (action !== 'view' && !usesNumber(entry.access))
    return { allowed: false, reason: 'READ_ONLY', ...facts };
  return { allowed: true, reason: grantedBy[entry.access], ...facts };
}
