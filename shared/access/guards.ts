import { AppError } from '../core/errors';
import { memberKey, workspaceKey } from '../db/keys';
import type { TransactStep } from '../db/steps';
import type { MemberItem, Plan, WorkspaceItem } from './tenancy';

/**
 * Only an active workspace changes (reads still answer): refused before any
 * write, and re-checked by the write itself.
 */
export function requireActive(workspace: Pick<WorkspaceItem, 'status'>): void {
  if (workspace.status !== 'active') throw new AppError('WORKSPACE_INACTIVE');
}

/** The condition, on the workspace item, that it is active; for a step that writes that item anyway. */
export const activeCondition = {
  expression: '#status = :active',
  names: { '#status': 'status' },
  values: { ':active': 'active' },
} as const;

/** The condition, on the workspace item, that it is still on the plan a limit was read from. */
export const planCondition = (plan: Plan) => ({
  expression: '#plan = :planRead',
  names: { '#plan': 'plan' },
  values: { ':planRead': plan },
});

/**
 * The workspace is active and, given `onPlan`, still on that plan: a change
 * the plan limits (a number's members, a custom ring order) cannot commit
 * across a plan change that was priced without it.
 */
export const workspaceIsActive = (workspaceId: string, onPlan?: Plan): TransactStep => {
  const plan = onPlan === undefined ? undefined : planCondition(onPlan);
  return {
    check: {
      Key: workspaceKey(workspaceId),
      ConditionExpression: plan
        ? `${activeCondition.expression} AND ${plan.expression}`
        : activeCondition.expression,
      ExpressionAttributeNames: { ...activeCondition.names, ...plan?.names },
      ExpressionAttributeValues: { ...activeCondition.values, ...plan?.values },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed: (current) =>
      new AppError(plan && current?.status === 'active' ? 'CONCURRENT_UPDATE' : 'WORKSPACE_INACTIVE'),
  };
};

/** The condition, on a member item, that the member still has the role a decision was made on. */
export const roleUnchanged = (member: Pick<MemberItem, 'role'>) => ({
  ConditionExpression: '#role = :decidedRole',
  ExpressionAttributeNames: { '#role': 'role' },
  ExpressionAttributeValues: { ':decidedRole': member.role },
});

/** The actor still holds the role the decision was made on. */
export const actorStillHasRole = (
  actor: Pick<MemberItem, 'workspaceId' | 'userId' | 'role'>,
): TransactStep => ({
  check: { Key: memberKey(actor.workspaceId, actor.userId), ...roleUnchanged(actor) },
  onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
});

/**
 * What every change decided on an actor's role re-checks at write time, so
 * a racing request cannot slip between the decision and the write: the
 * workspace is still active and the actor still has that role.
 */
export const decisionStillHolds = (actor: MemberItem): TransactStep[] => [
  workspaceIsActive(actor.workspaceId),
  actorStillHasRole(actor),
];
