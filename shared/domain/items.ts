import { addressKey, memberKey, memberListKey, memberRoleListKey } from '../db/keys';
import type { NumberAccess } from '../permissions';
import type { Role, WorkspaceSettings } from './roles';

export type WorkspaceStatus = 'active' | 'suspended' | 'cancelled';
export type Plan = 'starter' | 'business' | 'scale';

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

export interface PhoneNumberAssignment {
  id: string;
  number: string;
  access: NumberAccess;
}

export interface MemberItem {
  workspaceId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  phoneNumbers: PhoneNumberAssignment[];
  lastActiveAt: string | null;
  joinedAt: string;
  /** Invited with "assign a new number": they pick one during onboarding. */
  pendingNumberChoice?: boolean;
}

export const toWorkspace = (item: WorkspaceItem) => ({
  id: item.id,
  name: item.name,
  status: item.status,
  plan: item.plan,
  settings: item.settings,
  memberCount: item.memberCount,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});

export const toMember = (item: MemberItem) => ({
  userId: item.userId,
  email: item.email,
  name: item.name,
  role: item.role,
  phoneNumbers: item.phoneNumbers,
  lastActiveAt: item.lastActiveAt,
  joinedAt: item.joinedAt,
  pendingNumberChoice: item.pendingNumberChoice ?? false,
});

export type Workspace = ReturnType<typeof toWorkspace>;
export type Member = ReturnType<typeof toMember>;

/** The member item, with the keys that place it in the table and in the name-sorted index. */
export function memberRecord(member: MemberItem) {
  return {
    ...memberKey(member.workspaceId, member.userId),
    ...memberListKey(member.workspaceId, member.name, member.userId),
    ...memberRoleListKey(member.workspaceId, member.role, member.name, member.userId),
    ...member,
  };
}

/** Who holds an address in a workspace: a member, or a pending invitation until `validUntil`. */
export type AddressItem =
  | { workspaceId: string; email: string; holder: 'member'; userId: string }
  | { workspaceId: string; email: string; holder: 'invitation'; invitationId: string; validUntil: string };

/** The address item of a member: "already a member" for invitations to the same address. */
export function memberAddressRecord(member: Pick<MemberItem, 'workspaceId' | 'email' | 'userId'>) {
  const item: AddressItem = {
    workspaceId: member.workspaceId,
    email: member.email,
    holder: 'member',
    userId: member.userId,
  };
  return { ...addressKey(member.workspaceId, member.email), ...item };
}
