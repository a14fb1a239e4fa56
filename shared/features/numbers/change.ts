import type { MemberItem, Plan } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { phoneNumberKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { type AuditAction, auditStep } from '../audit/events';
import { actorAuthority } from './authority';
import { numberTarget, type PhoneNumberItem } from './items';

/** Conditions a change adds on the number's item, beyond its existence and the actor's authority. */
export interface NumberConditions {
  expressions: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * Sets attributes of a number's item (its settings, its ring order) as its
 * manager decided: one transaction with the actor's authority re-checked and
 * the audit event, before and after.
 */
export async function changeNumber(
  actor: MemberItem,
  number: PhoneNumberItem,
  change: {
    set: Partial<PhoneNumberItem>;
    conditions?: NumberConditions;
    /** The change is within this plan's limits only: it commits while the workspace is still on it. */
    onPlan?: Plan;
    audit: { action: AuditAction; before: Record<string, unknown>; after: Record<string, unknown> };
  },
  context: RequestContext,
): Promise<string> {
  const at = context.now.toISOString();
  const authority = actorAuthority(actor, {
    writesActor: false,
    ...(change.onPlan ? { onPlan: change.onPlan } : {}),
  });
  const names: Record<string, string> = { ...authority.onNumber?.names, ...change.conditions?.names };
  const values: Record<string, unknown> = {
    ':now': at,
    ...authority.onNumber?.values,
    ...change.conditions?.values,
  };
  const sets = Object.entries(change.set).map(([field, value]) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    return `#${field} = :${field}`;
  });
  const conditions = [
    'attribute_exists(PK)',
    ...(authority.onNumber ? [authority.onNumber.expression] : []),
    ...(change.conditions?.expressions ?? []),
  ];
  await transact([
    {
      update: {
        Key: phoneNumberKey(number.workspaceId, number.id),
        UpdateExpression: `SET ${sets.join(', ')}, updatedAt = :now`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) => new AppError(current ? 'CONCURRENT_UPDATE' : 'NUMBER_NOT_FOUND'),
    },
    ...authority.steps,
    auditStep({ ...context, workspaceId: number.workspaceId, target: numberTarget(number), ...change.audit }),
  ]);
  return at;
}
