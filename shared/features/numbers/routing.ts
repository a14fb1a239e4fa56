import { planTable } from '../../access/plans';
import type { WorkspaceItem } from '../../access/tenancy';
import { isOpenAt, wallClockAt } from './hours';
import {
  type CallOutcome,
  departingMembers,
  holdersInOrder,
  type PhoneNumberItem,
  ringSequence,
} from './items';

const inGroups = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );

/** Fisher-Yates, with the random source given (tests pass their own). */
function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** What happens after the waves, under the contract's name (a plain object: `then` is never a function). */
// biome-ignore lint/suspicious/noThenProperty: the contract's field name.
const next = (outcome: CallOutcome) => ({ then: outcome });

/**
 * How an incoming call at `at` is routed: open or closed on the number's
 * local clock; if open, who rings, wave after wave (use-access holders
 * available then, in the ring order, at most the plan's "ring at once"
 * together), and what happens when nobody answers; if closed, the
 * after-hours action.
 */
export function routeCall(
  number: PhoneNumberItem,
  workspace: Pick<WorkspaceItem, 'plan'>,
  at: Date,
  random = Math.random,
) {
  const timeZone = number.businessHours?.timeZone ?? null;
  const open = isOpenAt(number.businessHours, at);
  const base = {
    open,
    at: at.toISOString(),
    localTime: wallClockAt(timeZone ?? 'UTC', at).localTime,
    timeZone,
    ringTimeoutSeconds: number.callFlow.ringTimeoutSeconds,
  };
  if (!open) return { ...base, waves: [], notifications: {}, ...next(number.callFlow.afterHours) };
  const plan = planTable[workspace.plan];
  const departing = departingMembers(workspace);
  const available = new Set(
    holdersInOrder(number)
      .filter(
        ([userId, holder]) =>
          holder.access !== 'read-only' && !departing.has(userId) && isOpenAt(holder.availability, at),
      )
      .map(([userId]) => userId),
  );
  const { mode, groupSize } = number.ringOrder;
  let waves: string[][];
  if (mode === 'custom' && plan.customRingOrder) {
    // One after the other, in the order set.
    waves = ringSequence(number)
      .filter((userId) => available.has(userId))
      .map((userId) => [userId]);
  } else if (mode === 'random') {
    waves = inGroups(shuffled([...available], random), Math.min(groupSize ?? 1, plan.ringAtOnce));
  } else {
    // All at once, in waves of "ring at once" in holder order (also a custom order the plan no longer includes).
    waves = inGroups([...available], plan.ringAtOnce);
  }
  const notifications = Object.fromEntries(
    waves.flat().flatMap((userId) => {
      const holder = number.members[userId];
      return holder ? [[userId, holder.notifications] as const] : [];
    }),
  );
  return { ...base, waves, notifications, ...next(number.callFlow.unanswered) };
}
