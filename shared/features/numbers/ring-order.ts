import type { NumberAccessItem } from '../../access/numbers';
import { planTable } from '../../access/plans';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError, type FieldError } from '../../core/errors';
import { phoneNumberKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { actorAuthority } from './authority';
import {
  numberTarget,
  type PhoneNumberItem,
  type RingMode,
  type RingOrder,
  toPhoneNumber,
  useHolders,
} from './items';

const invalid = (errors: FieldError[]) =>
  new AppError('VALIDATION_FAILED', undefined, { fieldErrors: errors });

/** The order asked for, checked against who holds use access now: each of them once, nobody else. */
function checkedOrder(order: string[] | undefined, holders: string[]): string[] {
  if (!order)
    throw invalid([{ path: 'order', message: 'A custom ring order lists every member with use access.' }]);
  const errors: FieldError[] = [];
  order.forEach((userId, index) => {
    if (!holders.includes(userId)) {
      errors.push({
        path: `order.${index}`,
        message: `${userId} holds no exclusive or shared access to this number.`,
      });
    } else if (order.indexOf(userId) !== index) {
      errors.push({ path: `order.${index}`, message: `${userId} is listed twice.` });
    }
  });
  const missing = holders.filter((userId) => !order.includes(userId));
  if (missing.length > 0) {
    errors.push({
      path: 'order',
      message: `The order leaves out ${missing.join(', ')}: list every member with use access.`,
    });
  }
  if (errors.length > 0) throw invalid(errors);
  return order;
}

export async function setRingOrder(
  actor: MemberItem,
  workspace: WorkspaceItem,
  numberRead: NumberAccessItem,
  input: { mode: RingMode; groupSize?: number | undefined; order?: string[] | undefined },
  context: RequestContext,
) {
  const number = numberRead as PhoneNumberItem;
  // The plan first: a custom order it does not include is refused whatever the order says.
  if (input.mode === 'custom' && !planTable[workspace.plan].customRingOrder) {
    throw new AppError(
      'PLAN_FEATURE_UNAVAILABLE',
      `The ${workspace.plan} plan does not include a custom ring order.`,
    );
  }
  if (input.groupSize !== undefined && input.mode !== 'random') {
    throw invalid([{ path: 'groupSize', message: 'Give groupSize with the random mode only.' }]);
  }
  if (input.order !== undefined && input.mode !== 'custom') {
    throw invalid([{ path: 'order', message: 'Give order with the custom mode only.' }]);
  }
  if (input.mode === 'random' && input.groupSize === undefined) {
    throw invalid([
      { path: 'groupSize', message: 'The random mode rings groupSize members at a time (1 to 10).' },
    ]);
  }
  const holders = useHolders(number);
  const ringOrder: RingOrder = {
    mode: input.mode,
    groupSize: input.mode === 'random' ? (input.groupSize ?? null) : null,
    order: input.mode === 'custom' ? checkedOrder(input.order, holders) : null,
  };
  const at = context.now.toISOString();
  const authority = actorAuthority(actor, { writesActor: false });
  const names: Record<string, string> = { ...authority.onNumber?.names };
  const values: Record<string, unknown> = {
    ':ringOrder': ringOrder,
    ':now': at,
    ':holders': holders.length,
    ...authority.onNumber?.values,
  };
  const conditions = ['attribute_exists(PK)', ...(authority.onNumber ? [authority.onNumber.expression] : [])];
  if (ringOrder.order) {
    // The order names exactly who holds use access when it is written.
    conditions.push('useCount = :holders');
    ringOrder.order.forEach((userId, index) => {
      names[`#o${index}`] = userId;
      conditions.push(`members.#o${index}.access IN (:exclusive, :shared)`);
    });
    Object.assign(values, { ':exclusive': 'exclusive', ':shared': 'shared' });
  } else {
    delete values[':holders'];
  }
  await transact([
    {
      update: {
        Key: phoneNumberKey(number.workspaceId, number.id),
        UpdateExpression: 'SET ringOrder = :ringOrder, updatedAt = :now',
        ConditionExpression: conditions.join(' AND '),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) => new AppError(current ? 'CONCURRENT_UPDATE' : 'NUMBER_NOT_FOUND'),
    },
    ...authority.steps,
    auditStep({
      ...context,
      workspaceId: number.workspaceId,
      action: 'phoneNumber.ringOrderChanged',
      target: numberTarget(number),
      before: { ...number.ringOrder },
      after: { ...ringOrder },
    }),
  ]);
  return toPhoneNumber({ ...number, ringOrder, updatedAt: at });
}
