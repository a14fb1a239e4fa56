import { activeCondition, roleUnchanged } from '../../access/guards';
import type { Role } from '../../access/roles';
import type { MemberItem } from '../../access/tenancy';
import { AppError } from '../../core/errors';
import { addressKey, memberKey, memberRolePartition, membershipKey, workspaceKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { departingAttribute } from '../numbers/items';
import { addressHeldBy, memberAddressRecord, memberRecord, membershipRecord } from './items';

/**
 * The transaction steps that create, change and remove members. Every
 * feature that adds or removes a person (creating a workspace, accepting an
 * invitation, joining by domain) composes these, so the member, the user's
 * membership pointer, the address item and the counters move together.
 */

/** A new member and the pointer from the user's own partition, if they are not a member already. */
export const addMember = (member: MemberItem): TransactStep[] => [
  {
    put: { Item: memberRecord(member), ConditionExpression: 'attribute_not_exists(PK)' },
    onConditionFailed: () => new AppError('ALREADY_MEMBER'),
  },
  { put: { Item: membershipRecord(member) } },
];

/**
 * The member's address item. Joining through an invitation takes the address
 * over from that invitation, and only from it; joining without one takes it
 * only if free (no member, no invitation still valid at `freeAt`); creating a
 * workspace writes it outright.
 */
export type AddressSource = { invitationId: string } | { freeAt: string };

export function holdAddress(member: MemberItem, takenFrom?: AddressSource): TransactStep {
  if (!takenFrom) return { put: { Item: memberAddressRecord(member) } };
  const condition =
    'invitationId' in takenFrom
      ? addressHeldBy(takenFrom.invitationId)
      : {
          ConditionExpression: 'attribute_not_exists(PK) OR (holder = :invitation AND validUntil <= :freeAt)',
          ExpressionAttributeValues: { ':invitation': 'invitation', ':freeAt': takenFrom.freeAt },
        };
  return {
    put: { Item: memberAddressRecord(member), ...condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
    onConditionFailed: (current) =>
      new AppError(current?.holder === 'member' ? 'ALREADY_MEMBER' : 'CONCURRENT_UPDATE'),
  };
}

/** -1, 0 or +1: how a role change moves the owner count. */
export const ownerDelta = (from: Role | undefined, to: Role | undefined): -1 | 0 | 1 =>
  ((to === 'owner' ? 1 : 0) - (from === 'owner' ? 1 : 0)) as -1 | 0 | 1;

/** A condition on the workspace item that a counts step must also hold (e.g. a setting still on). */
export interface WorkspaceCondition {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
  error: () => Error;
}

/** Both conditions, or the one given; failing as the first would. */
export function bothConditions(
  first: WorkspaceCondition | undefined,
  second: WorkspaceCondition | undefined,
): WorkspaceCondition | undefined {
  if (!first || !second) return first ?? second;
  return {
    expression: `${first.expression} AND ${second.expression}`,
    names: { ...first.names, ...second.names },
    values: { ...first.values, ...second.values },
    error: first.error,
  };
}

/**
 * Moves the workspace's member and owner counters, only while the workspace
 * is active. Removing an owner is only possible while another one remains:
 * this condition is what keeps every workspace with at least one owner,
 * whatever races it.
 */
export function moveCounts(
  workspaceId: string,
  change: { members?: number; owners?: number; departing?: { userId: string; since: string } },
  also?: WorkspaceCondition,
): TransactStep {
  const conditions: string[] = [activeCondition.expression, ...(also ? [also.expression] : [])];
  const names: Record<string, string> = { ...activeCondition.names, ...also?.names };
  const values: Record<string, unknown> = { ...activeCondition.values, ...also?.values };
  const sets: string[] = [];
  if (change.departing) {
    // Marked on the workspace until their numbers are handed over (routing reads the workspace anyway).
    sets.push('#departing = :departingSince');
    names['#departing'] = departingAttribute(change.departing.userId);
    values[':departingSince'] = change.departing.since;
  }
  if (change.members) {
    sets.push('memberCount = memberCount + :members');
    values[':members'] = change.members;
  }
  if (change.owners) {
    sets.push('ownerCount = ownerCount + :owners');
    values[':owners'] = change.owners;
    // Taking owners away leaves at least one.
    if (change.owners < 0) {
      conditions.push('ownerCount > :ownersTaken');
      values[':ownersTaken'] = -change.owners;
    }
  }
  const condition = {
    Key: workspaceKey(workspaceId),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
  const onConditionFailed = (current: Record<string, unknown> | undefined) => {
    if (!current) return new AppError('WORKSPACE_NOT_FOUND');
    if (current.status !== 'active') return new AppError('WORKSPACE_INACTIVE');
    if (change.owners && Number(current.ownerCount) + change.owners < 1) return new AppError('LAST_OWNER');
    return also ? also.error() : new AppError('CONCURRENT_UPDATE');
  };
  // Nothing to count: the conditions alone, without writing the workspace item.
  if (sets.length === 0) {
    return { check: { ...condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }, onConditionFailed };
  }
  return {
    update: {
      ...condition,
      UpdateExpression: `SET ${sets.join(', ')}`,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed,
  };
}

/** A member's write failed its condition: gone meanwhile (404), or changed (409). */
const memberChanged = (current: Record<string, unknown> | undefined) =>
  new AppError(current ? 'CONCURRENT_UPDATE' : 'MEMBER_NOT_FOUND');

/** Sets a member's role if it is still what the decision was made on. */
export function setRole(member: MemberItem, role: Role): TransactStep {
  const unchanged = roleUnchanged(member);
  return {
    update: {
      Key: memberKey(member.workspaceId, member.userId),
      // The member moves to the new role's list on GSI2 with the same change.
      UpdateExpression: 'SET #role = :role, GSI2PK = :rolePartition',
      ...unchanged,
      ExpressionAttributeValues: {
        ...unchanged.ExpressionAttributeValues,
        ':role': role,
        ':rolePartition': memberRolePartition(member.workspaceId, role),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed: memberChanged,
  };
}

/**
 * Deletes a member, their membership pointer and their address (the person
 * can be invited back), if their role and their numbers are still the ones
 * decided on; and moves the counters, keeping an owner.
 */
export function removeMemberSteps(
  member: MemberItem,
  options: { departingSince?: string } = {},
): TransactStep[] {
  const unchanged = roleUnchanged(member);
  // Nor the numbers they hold: each is handed over from the list read, so none may slip in meanwhile.
  const numbers =
    member.numberAccess === undefined
      ? { expression: 'attribute_not_exists(numberAccess)', values: {} }
      : { expression: 'numberAccess = :numbersRead', values: { ':numbersRead': member.numberAccess } };
  return [
    {
      delete: {
        Key: memberKey(member.workspaceId, member.userId),
        ConditionExpression: `${unchanged.ConditionExpression} AND ${numbers.expression}`,
        ExpressionAttributeNames: unchanged.ExpressionAttributeNames,
        ExpressionAttributeValues: { ...unchanged.ExpressionAttributeValues, ...numbers.values },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: memberChanged,
    },
    { delete: { Key: membershipKey(member.userId, member.workspaceId) } },
    ...(member.email ? [{ delete: { Key: addressKey(member.workspaceId, member.email) } }] : []),
    moveCounts(member.workspaceId, {
      members: -1,
      owners: ownerDelta(member.role, undefined),
      ...(options.departingSince
        ? { departing: { userId: member.userId, since: options.departingSince } }
        : {}),
    }),
  ];
}

/** A member who joins, with their address and the counters: what every way in writes. */
export function joinSteps(
  member: MemberItem,
  options: { takenFrom?: AddressSource; also?: WorkspaceCondition } = {},
): TransactStep[] {
  // Nobody joins again while their last removal is still handing their numbers over.
  const notDeparting: WorkspaceCondition = {
    expression: `attribute_not_exists(#departing)${options.also ? ` AND ${options.also.expression}` : ''}`,
    names: { '#departing': departingAttribute(member.userId), ...options.also?.names },
    values: { ...options.also?.values },
    error: () => options.also?.error() ?? new AppError('CONCURRENT_UPDATE'),
  };
  const counts = moveCounts(
    member.workspaceId,
    { members: 1, owners: ownerDelta(undefined, member.role) },
    notDeparting,
  );
  const failed = counts.onConditionFailed;
  return [
    ...addMember(member),
    ...(member.email ? [holdAddress(member, options.takenFrom)] : []),
    {
      ...counts,
      onConditionFailed: (current) =>
        current?.[departingAttribute(member.userId)] !== undefined
          ? new AppError('REMOVAL_IN_PROGRESS')
          : (failed as NonNullable<typeof failed>)(current),
    },
  ];
}
