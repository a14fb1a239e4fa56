import { memberKey, workspaceKey } from '../db/keys';
import type { TransactStep } from '../db/transact';
import { AppError } from '../http/errors';
import type { Role } from './roles';

/**
 * Transaction steps shared by every change: they re-check, at write time, the
 * facts the request was decided on, so a racing request cannot slip between.
 */

export const workspaceIsActive = (workspaceId: string): TransactStep => ({
  check: {
    Key: workspaceKey(workspaceId),
    ConditionExpression: '#status = :active',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':active': 'active' },
  },
  onConditionFailed: () => new AppError('WORKSPACE_INACTIVE'),
});

/** The actor still holds the role the permission module decided on. */
export const actorStillHasRole = (workspaceId: string, userId: string, role: Role): TransactStep => ({
  check: {
    Key: memberKey(workspaceId, userId),
    ConditionExpression: '#role = :role',
    ExpressionAttributeNames: { '#role': 'role' },
    ExpressionAttributeValues: { ':role': role },
  },
  onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
});

/**
 * Moves the workspace's member and owner counters. Removing an owner is
 * only possible while another one remains: this condition is what keeps
 * every workspace with at least one owner, whatever races it.
 */
export function updateWorkspaceCounts(
  workspaceId: string,
  change: { members?: -1 | 0 | 1; owners?: -1 | 0 | 1 },
): TransactStep {
  if (!change.members && !change.owners) return workspaceIsActive(workspaceId);
  const conditions = ['#status = :active'];
  const values: Record<string, unknown> = { ':active': 'active' };
  const sets: string[] = [];
  if (change.members) {
    sets.push('memberCount = memberCount + :members');
    values[':members'] = change.members;
  }
  if (change.owners) {
    sets.push('ownerCount = ownerCount + :owners');
    values[':owners'] = change.owners;
    if (change.owners < 0) {
      conditions.push('ownerCount > :one');
      values[':one'] = 1;
    }
  }
  return {
    update: {
      Key: workspaceKey(workspaceId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed: (current) => {
      if (!current) return new AppError('WORKSPACE_NOT_FOUND');
      if (current.status !== 'active') return new AppError('WORKSPACE_INACTIVE');
      if (change.owners && change.owners < 0) return new AppError('LAST_OWNER');
      return new AppError('CONCURRENT_UPDATE');
    },
  };
}
