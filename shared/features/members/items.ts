import type { MemberItem } from '../../access/tenancy';
import { addressKey, memberKey, memberListKey, memberRoleListKey, membershipKey } from '../../db/keys';
import type { Hours } from '../numbers/hours';

/** The member's numbers as the contract lists them, in number order. */
const heldNumbers = (item: Pick<MemberItem, 'numberAccess'>) =>
  Object.entries(item.numberAccess ?? {})
    .map(([id, held]) => ({ id, number: held.number, access: held.access }))
    .sort((a, b) => a.number.localeCompare(b.number));

export const toMember = (item: MemberItem) => ({
  userId: item.userId,
  email: item.email,
  name: item.name,
  role: item.role,
  phoneNumbers: heldNumbers(item),
  lastActiveAt: item.lastActiveAt,
  joinedAt: item.joinedAt,
  pendingNumberChoice: item.pendingNumberChoice ?? false,
  availability: (item.availability as Hours | null | undefined) ?? null,
});

export type Member = ReturnType<typeof toMember>;

/** A member as the target of an audit event. */
export const memberTarget = (member: Pick<MemberItem, 'userId'>) => ({ type: 'member', id: member.userId });

/** The member item, with the keys that place it in the table and in the name- and role-sorted indexes. */
export function memberRecord(member: MemberItem) {
  return {
    ...memberKey(member.workspaceId, member.userId),
    ...memberListKey(member.workspaceId, member.name, member.userId),
    ...memberRoleListKey(member.workspaceId, member.role, member.name, member.userId),
    ...member,
  };
}

/** The pointer from the user's own partition to a workspace they belong to. */
export const membershipRecord = (member: Pick<MemberItem, 'userId' | 'workspaceId'>) => ({
  ...membershipKey(member.userId, member.workspaceId),
  workspaceId: member.workspaceId,
});

/** Who holds an address in a workspace: a member, or a pending invitation until `validUntil`. */
export type AddressItem =
  | { workspaceId: string; email: string; holder: 'member'; userId: string }
  | { workspaceId: string; email: string; holder: 'invitation'; invitationId: string; validUntil: string };

/** The condition, on an address item, that a given invitation holds it. */
export const addressHeldBy = (invitationId: string) => ({
  ConditionExpression: 'invitationId = :holder',
  ExpressionAttributeValues: { ':holder': invitationId },
});

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
