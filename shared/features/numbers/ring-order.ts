import type { NumberAccessItem } from '../../access/numbers';
import { planTable } from '../../access/plans';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError, type FieldError } from '../../core/errors';
import { changeNumber } from './change';
import { type PhoneNumberItem, type RingMode, type RingOrder, toPhoneNumber, useHolders } from './items';

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
  // A custom order names exactly who holds use access when it is written.
  const conditions = ringOrder.order
    ? {
        expressions: [
          'useCount = :holders',
          ...ringOrder.order.map((_, index) => `members.#o${index}.access IN (:exclusive, :shared)`),
        ],
        names: Object.fromEntries(ringOrder.order.map((userId, index) => [`#o${index}`, userId])),
        values: {
          ':holders': holders.length,
          // An empty order (nobody holds use access yet) names no holder: DynamoDB refuses unused values.
          ...(ringOrder.order.length > 0 ? { ':exclusive': 'exclusive', ':shared': 'shared' } : {}),
        },
      }
    : undefined;
  const at = await changeNumber(
    actor,
    number,
    {
      set: { ringOrder },
      ...(conditions ? { conditions } : {}),
      // Only a plan that includes it may keep a custom order being written.
      ...(ringOrder.mode === 'custom' ? { onPlan: workspace.plan } : {}),
      audit: {
        action: 'phoneNumber.ringOrderChanged',
        before: { ...number.ringOrder },
        after: { ...ringOrder },
      },
    },
    context,
  );
  return toPhoneNumber({ ...number, ringOrder, updatedAt: at });
}
