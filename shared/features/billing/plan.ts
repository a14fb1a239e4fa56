import { actorStillHasRole, requireActive } from '../../access/guards';
import { planTable } from '../../access/plans';
import type { MemberItem, Plan, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError, type FieldError } from '../../core/errors';
import { phoneNumberKey, phoneNumberPrefix, workspaceKey, workspacePartition } from '../../db/keys';
import { listAll } from '../../db/query';
import type { TransactStep } from '../../db/steps';
import { auditStep } from '../audit/events';
import { billedTransact, billingOf } from './account';
import { toBilling } from './items';
import { cancelAccount } from './ledger';

/** What a number holds that a plan may not allow (the number items' own fields, read raw). */
interface NumberLimits {
  id: string;
  members: Record<string, unknown>;
  ringOrder: { mode: string };
}

/** What in the workspace the plan would not allow: numbers over its members per number, custom ring orders it lacks. */
function blockers(numbers: NumberLimits[], plan: Plan): FieldError[] {
  const limits = planTable[plan];
  return numbers.flatMap((number): FieldError[] => {
    const problems: FieldError[] = [];
    const holders = Object.keys(number.members).length;
    if (holders > limits.membersPerNumber)
      problems.push({
        path: `phoneNumbers.${number.id}.members`,
        message: `${holders} members hold this number; the ${plan} plan allows ${limits.membersPerNumber}.`,
      });
    if (number.ringOrder.mode === 'custom' && !limits.customRingOrder)
      problems.push({
        path: `phoneNumbers.${number.id}.ringOrder`,
        message: `This number rings in a custom order, which the ${plan} plan does not include.`,
      });
    return problems;
  });
}

/** Numbers a plan change keeps within the plan's limits by a condition each, in its transaction (which holds 100 items). */
const checkedNumbersAtMost = 80;

/**
 * The limits held at the commit, not only at the read: a number granted
 * meanwhile past the plan's cap, or set to a custom order it lacks, fails
 * the change. Beyond `checkedNumbersAtMost` numbers the read alone decides
 * (routing copes with either: it rings a custom order the plan lacks all at once).
 */
function limitChecks(workspaceId: string, numbers: NumberLimits[], plan: Plan): TransactStep[] {
  const limits = planTable[plan];
  if (numbers.length > checkedNumbersAtMost) return [];
  return numbers.map((number) => ({
    check: {
      Key: phoneNumberKey(workspaceId, number.id),
      ConditionExpression: limits.customRingOrder
        ? 'size(members) <= :cap'
        : 'size(members) <= :cap AND ringOrder.#mode <> :custom',
      ...(limits.customRingOrder ? {} : { ExpressionAttributeNames: { '#mode': 'mode' } }),
      ExpressionAttributeValues: {
        ':cap': limits.membersPerNumber,
        ...(limits.customRingOrder ? {} : { ':custom': 'custom' }),
      },
    },
    onConditionFailed: () =>
      new AppError('PLAN_LIMITS_EXCEEDED', undefined, {
        fieldErrors: [
          {
            path: `phoneNumbers.${number.id}`,
            message: `This number changed meanwhile past what the ${plan} plan allows.`,
          },
        ],
      }),
  }));
}

const workspaceTarget = (workspace: Pick<WorkspaceItem, 'id'>) => ({ type: 'workspace', id: workspace.id });

/**
 * Another plan, at once: the price difference of every seat for the rest of
 * the period, one line, in the transaction that changes the plan. Refused
 * (409 PLAN_LIMITS_EXCEEDED) while the workspace uses what the plan lacks.
 */
export async function changePlan(
  actor: MemberItem,
  workspace: WorkspaceItem,
  plan: Plan,
  context: RequestContext,
) {
  requireActive(workspace);
  if (plan !== workspace.plan) {
    const byAdmin = actor.role !== 'owner';
    // Listed after each read of the billing item: a number added meanwhile moves its revision, and is listed again.
    const steps = async (): Promise<TransactStep[]> => {
      const numbers = await listAll<NumberLimits>({
        partition: workspacePartition(workspace.id),
        sortKeyPrefix: phoneNumberPrefix,
      });
      const problems = blockers(numbers, plan);
      if (problems.length > 0)
        throw new AppError('PLAN_LIMITS_EXCEEDED', undefined, { fieldErrors: problems });
      return [
        {
          update: {
            Key: workspaceKey(workspace.id),
            UpdateExpression: 'SET #plan = :plan, updatedAt = :at',
            // An admin decides under D2: the setting must still allow it at the commit.
            ConditionExpression: `#plan = :seen AND #status = :active${byAdmin ? ' AND settings.adminsCanManageBilling = :allowed' : ''}`,
            ExpressionAttributeNames: { '#plan': 'plan', '#status': 'status' },
            ExpressionAttributeValues: {
              ':plan': plan,
              ':seen': workspace.plan,
              ':active': 'active',
              ':at': context.now.toISOString(),
              ...(byAdmin ? { ':allowed': true } : {}),
            },
          },
          onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
        },
        actorStillHasRole(actor),
        ...limitChecks(workspace.id, numbers, plan),
        auditStep({
          ...context,
          workspaceId: workspace.id,
          action: 'billing.planChanged',
          target: workspaceTarget(workspace),
          before: { plan: workspace.plan },
          after: { plan },
        }),
      ];
    };
    return toBilling(
      workspace,
      await billedTransact(workspace, { plan }, workspaceTarget(workspace), context, steps),
    );
  }
  return toBilling(workspace, (await billingOf(workspace, context.now)).item);
}

/** Cancellation (an Owner): the workspace is cancelled at once, its credit expires, nothing is refunded. */
export async function cancelSubscription(
  actor: MemberItem,
  workspace: WorkspaceItem,
  context: RequestContext,
) {
  if (actor.role !== 'owner')
    throw new AppError('OWNER_REQUIRED', 'Only an owner can cancel the subscription.');
  requireActive(workspace);
  const billing = await billedTransact(
    workspace,
    (account) => cancelAccount(account),
    workspaceTarget(workspace),
    context,
    [
      {
        update: {
          Key: workspaceKey(workspace.id),
          UpdateExpression: 'SET #status = :cancelled, updatedAt = :at',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':cancelled': 'cancelled',
            ':active': 'active',
            ':at': context.now.toISOString(),
          },
        },
        onConditionFailed: () => new AppError('WORKSPACE_INACTIVE'),
      },
      actorStillHasRole(actor),
      auditStep({
        ...context,
        workspaceId: workspace.id,
        action: 'billing.cancelled',
        target: workspaceTarget(workspace),
        before: { status: workspace.status },
        after: { status: 'cancelled' },
      }),
    ],
  );
  return toBilling({ status: 'cancelled' }, billing);
}
