import { addressKey, memberKey, memberListPartition, memberRolePartition, membershipKey } from '../db/keys';
import { type Page, type PageParams, queryPage } from '../db/query';
import { gsi1, gsi2 } from '../db/table-definition';
import { type TransactStep, transact } from '../db/transact';
import { AppError } from '../http/errors';
import { enforce } from '../permissions';
import { auditStep } from './audit';
import { actorStillHasRole, updateWorkspaceCounts } from './conditions';
import { type Member, type MemberItem, toMember } from './items';
import type { Role } from './roles';
import type { ChangeContext } from './workspaces';

/** The member a request is about, as loaded with the caller's membership: 404 when there is none. */
export function existingMember(member: MemberItem | undefined): MemberItem {
  if (!member) throw new AppError('MEMBER_NOT_FOUND');
  return member;
}

export async function listMembers(
  workspaceId: string,
  filter: { role?: Role | undefined },
  page: PageParams,
): Promise<Page<Member>> {
  const result = await queryPage<MemberItem>(
    filter.role
      ? {
          IndexName: gsi2,
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': memberRolePartition(workspaceId, filter.role) },
        }
      : {
          IndexName: gsi1,
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': memberListPartition(workspaceId) },
        },
    // A cursor is only valid with the filter it was made under.
    filter.role
      ? { list: 'members-by-role', scope: `${workspaceId}#${filter.role}`, ...page }
      : { list: 'members', scope: workspaceId, ...page },
  );
  return { items: result.items.map(toMember), nextCursor: result.nextCursor };
}

const ownerDelta = (from: Role, to: Role): -1 | 0 | 1 =>
  ((to === 'owner' ? 1 : 0) - (from === 'owner' ? 1 : 0)) as -1 | 0 | 1;

/** Sets a member's role if it is still what the decision was made on. */
function setRole(member: MemberItem, role: Role): TransactStep {
  return {
    update: {
      Key: memberKey(member.workspaceId, member.userId),
      // The member moves to the new role's list on GSI2 with the same change.
      UpdateExpression: 'SET #role = :role, GSI2PK = :rolePartition',
      ConditionExpression: '#role = :current',
      ExpressionAttributeNames: { '#role': 'role' },
      ExpressionAttributeValues: {
        ':role': role,
        ':current': member.role,
        ':rolePartition': memberRolePartition(member.workspaceId, role),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed: (current) => new AppError(current ? 'CONCURRENT_UPDATE' : 'MEMBER_NOT_FOUND'),
  };
}

/** Deletes a member, their membership pointer and their address, if their role is still the one decided on. */
function deleteMember(member: MemberItem): TransactStep[] {
  return [
    {
      delete: {
        Key: memberKey(member.workspaceId, member.userId),
        ConditionExpression: '#role = :current',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':current': member.role },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) => new AppError(current ? 'CONCURRENT_UPDATE' : 'MEMBER_NOT_FOUND'),
    },
    { delete: { Key: membershipKey(member.userId, member.workspaceId) } },
    // The address is free again: the person can be invited back.
    ...(member.email ? [{ delete: { Key: addressKey(member.workspaceId, member.email) } }] : []),
  ];
}

const memberTarget = (member: MemberItem) => ({ type: 'member' as const, id: member.userId });

export async function changeRole(
  actor: MemberItem,
  target: MemberItem,
  newRole: Role,
  context: ChangeContext,
): Promise<Member> {
  enforce({
    kind: 'roleChange',
    actorRole: actor.role,
    actorId: actor.userId,
    targetId: target.userId,
    targetRole: target.role,
    newRole,
  });
  if (target.role === newRole) return toMember(target);
  const self = actor.userId === target.userId;
  await transact([
    setRole(target, newRole),
    updateWorkspaceCounts(target.workspaceId, { owners: ownerDelta(target.role, newRole) }),
    ...(self ? [] : [actorStillHasRole(actor.workspaceId, actor.userId, actor.role)]),
    auditStep({
      ...context,
      workspaceId: target.workspaceId,
      action: 'member.roleChanged',
      target: memberTarget(target),
      before: { role: target.role },
      after: { role: newRole },
    }),
  ]);
  return toMember({ ...target, role: newRole });
}

export async function removeMember(
  actor: MemberItem,
  target: MemberItem,
  reassignNumbersTo: string | undefined,
  context: ChangeContext,
): Promise<void> {
  enforce({
    kind: 'removal',
    actorRole: actor.role,
    actorId: actor.userId,
    targetId: target.userId,
    targetRole: target.role,
  });
  const heir = reassignNumbersTo ?? actor.userId;
  if (heir === target.userId) throw new AppError('REASSIGN_TARGET_NOT_MEMBER');
  const heirIsMember: TransactStep[] =
    heir === actor.userId
      ? []
      : [
          {
            check: { Key: memberKey(target.workspaceId, heir), ConditionExpression: 'attribute_exists(PK)' },
            onConditionFailed: () => new AppError('REASSIGN_TARGET_NOT_MEMBER'),
          },
        ];
  await transact([
    ...deleteMember(target),
    updateWorkspaceCounts(target.workspaceId, { members: -1, owners: target.role === 'owner' ? -1 : 0 }),
    actorStillHasRole(actor.workspaceId, actor.userId, actor.role),
    ...heirIsMember,
    auditStep({
      ...context,
      workspaceId: target.workspaceId,
      action: 'member.removed',
      target: memberTarget(target),
      before: {
        role: target.role,
        email: target.email,
        phoneNumbers: target.phoneNumbers.map((number) => number.id),
      },
      after: { numbersReassignedTo: heir },
    }),
  ]);
}

export async function leave(member: MemberItem, context: ChangeContext): Promise<void> {
  await transact([
    ...deleteMember(member),
    updateWorkspaceCounts(member.workspaceId, { members: -1, owners: member.role === 'owner' ? -1 : 0 }),
    auditStep({
      ...context,
      workspaceId: member.workspaceId,
      action: 'member.left',
      target: memberTarget(member),
      before: { role: member.role },
      after: null,
    }),
  ]);
}

/** The target becomes an owner and the caller an admin, in one step. */
export async function transferOwnership(
  actor: MemberItem,
  target: MemberItem,
  context: ChangeContext,
): Promise<{ from: Member; to: Member }> {
  enforce({
    kind: 'ownershipTransfer',
    actorRole: actor.role,
    actorId: actor.userId,
    targetId: target.userId,
    targetRole: target.role,
  });
  await transact([
    setRole(target, 'owner'),
    setRole(actor, 'admin'),
    updateWorkspaceCounts(actor.workspaceId, {}),
    auditStep({
      ...context,
      workspaceId: actor.workspaceId,
      action: 'ownership.transferred',
      target: memberTarget(target),
      before: {
        from: { userId: actor.userId, role: actor.role },
        to: { userId: target.userId, role: target.role },
      },
      after: { from: { userId: actor.userId, role: 'admin' }, to: { userId: target.userId, role: 'owner' } },
    }),
  ]);
  return { from: toMember({ ...actor, role: 'admin' }), to: toMember({ ...target, role: 'owner' }) };
}
