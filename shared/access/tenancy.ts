import type { NumberAccess, Role, WorkspaceSettings } from './roles';

/**
 * The two items every access decision reads: the workspace (its status and
 * settings) and the caller's member item (their role). Features build on
 * them; their shape is fixed here so that loading access imports no feature.
 */

export const plans = ['starter', 'business', 'scale'] as const;
export type Plan = (typeof plans)[number];

export const workspaceStatuses = ['active', 'suspended', 'cancelled'] as const;
export type WorkspaceStatus = (typeof workspaceStatuses)[number];

/** A workspace as stored. `ownerCount` backs the "at least one owner" rule. */
export interface WorkspaceItem {
  id: string;
  name: string;
  status: WorkspaceStatus;
  plan: Plan;
  settings: WorkspaceSettings;
  memberCount: number;
  ownerCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A number a member holds, as the member list shows it (the number's own item has the whole entry). */
export interface HeldNumber {
  number: string;
  access: NumberAccess;
}

export interface MemberItem {
  workspaceId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  /**
   * The numbers the member holds, by phone number id: changed in the same
   * transaction as the number's own entry. (Absent on members written before
   * numbers existed: none held.)
   */
  numberAccess?: Record<string, HeldNumber>;
  /** When routing may ring them (the business-hours shape); absent or null: always. */
  availability?: Record<string, unknown> | null;
  lastActiveAt: string | null;
  joinedAt: string;
  /** Invited with "assign a new number": they pick one during onboarding. */
  pendingNumberChoice?: boolean;
}

/** The member attribute the activity write sets: the only one a route that changes nothing may update. */
export const activityAttribute = 'lastActiveAt' satisfies keyof MemberItem;
