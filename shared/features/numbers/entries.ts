import { usesNumber } from '../../access/numbers';
import type { NumberAccess } from '../../access/roles';
import { AppError } from '../../core/errors';
import { phoneNumberKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { type PhoneNumberItem, ringSequence, type StoredHolder } from './items';

/** How one member's entry on a number changes: from what was read, to what it becomes (null: removed). */
export interface EntryChange {
  userId: string;
  from: StoredHolder | undefined;
  to: StoredHolder | null;
}

/** A condition the caller adds to the number's step: e.g. that the actor is still a number owner. */
interface NumberCondition {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** The acting number owner's entry still makes them one (when that is what the decision was made on). */
export const stillNumberOwner = (actorId: string): NumberCondition => ({
  expression: 'members.#actor.numberOwner = :owner',
  names: { '#actor': actorId },
  values: { ':owner': true },
});

const useOf = (access: NumberAccess | undefined) => (usesNumber(access) ? 1 : 0);

/**
 * The update of a number's item for entry changes, with D4 and the plan's cap
 * as its conditions (never a read and a hope): each entry must still be what
 * was read; a new exclusive holder needs nobody else with use access; a new
 * shared holder needs no exclusive holder but themselves; a new entry needs
 * room under `memberCap`. `useCount` and `exclusiveHolder` move with the
 * entries. A failed condition is answered from the item as it then was.
 */
export function changeEntries(
  number: Pick<PhoneNumberItem, 'workspaceId' | 'id' | 'members' | 'ringOrder'>,
  changes: EntryChange[],
  options: { now: string; memberCap?: number; also?: NumberCondition },
): TransactStep {
  const conditions = ['attribute_exists(PK)'];
  const names: Record<string, string> = { ...options.also?.names };
  const values: Record<string, unknown> = { ':now': options.now, ...options.also?.values };
  const sets = ['updatedAt = :now'];
  const removes: string[] = [];
  if (options.also) conditions.push(options.also.expression);
  let useDelta = 0;
  let added = 0;
  // What the changed entries themselves hold is discounted from D4's counts: they are being rewritten.
  const usingAmongChanged = changes.reduce((sum, change) => sum + useOf(change.from?.access), 0);
  const exclusiveAmongChanged = changes.filter((change) => change.from?.access === 'exclusive');
  const exclusiveTo = changes.find((change) => change.to?.access === 'exclusive');
  changes.forEach(({ userId, from, to }, index) => {
    const member = `#m${index}`;
    names[member] = userId;
    if (from) {
      conditions.push(
        `members.${member}.access = :fromAccess${index}`,
        `members.${member}.since = :fromSince${index}`,
      );
      values[`:fromAccess${index}`] = from.access;
      values[`:fromSince${index}`] = from.since;
    } else {
      conditions.push(`attribute_not_exists(members.${member})`);
      added += 1;
    }
    if (to && from && to.since === from.since) {
      // The same entry, another level: its other fields (notifications, availability) may be changing meanwhile.
      sets.push(
        `members.${member}.access = :toAccess${index}`,
        `members.${member}.numberOwner = :toOwner${index}`,
      );
      values[`:toAccess${index}`] = to.access;
      values[`:toOwner${index}`] = to.numberOwner;
      if (to.historyVisibleFrom !== from.historyVisibleFrom) {
        sets.push(`members.${member}.historyVisibleFrom = :toHistory${index}`);
        values[`:toHistory${index}`] = to.historyVisibleFrom;
      }
    } else if (to) {
      sets.push(`members.${member} = :to${index}`);
      values[`:to${index}`] = to;
    } else {
      removes.push(`members.${member}`);
    }
    useDelta += useOf(to?.access) - useOf(from?.access);
  });
  if (exclusiveTo && exclusiveTo.from?.access !== 'exclusive') {
    // D4: nobody else uses it.
    conditions.push('useCount = :usingAmongChanged');
    values[':usingAmongChanged'] = usingAmongChanged;
  }
  if (changes.some((change) => change.to?.access === 'shared' && !usesNumber(change.from?.access))) {
    // D4: no exclusive holder, unless it is one of the entries being rewritten.
    const held = exclusiveAmongChanged.map((change, index) => {
      values[`:wasExclusive${index}`] = change.userId;
      return `exclusiveHolder = :wasExclusive${index}`;
    });
    conditions.push(`(${['attribute_not_exists(exclusiveHolder)', ...held].join(' OR ')})`);
  }
  if (exclusiveTo) {
    sets.push('exclusiveHolder = :exclusiveHolder');
    values[':exclusiveHolder'] = exclusiveTo.userId;
  } else if (exclusiveAmongChanged.length > 0) {
    removes.push('exclusiveHolder');
  }
  if (added > 0 && options.memberCap !== undefined) {
    conditions.push('size(members) <= :roomFor');
    values[':roomFor'] = options.memberCap - added;
  }
  if (useDelta !== 0) {
    sets.push('useCount = useCount + :useDelta');
    values[':useDelta'] = useDelta;
  }
  const order = customOrderAfter(number, changes);
  if (order) {
    // Rewritten from the order read: a concurrent PUT of the ring order is not overwritten.
    sets.push('ringOrder.#order = :order');
    conditions.push('ringOrder.#order = :orderRead');
    names['#order'] = 'order';
    values[':order'] = order;
    values[':orderRead'] = number.ringOrder.order;
  }
  return {
    update: {
      Key: phoneNumberKey(number.workspaceId, number.id),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed: (current) =>
      whyRefused(current as PhoneNumberItem | undefined, changes, options.memberCap),
  };
}

/**
 * A custom ring order, kept through holders coming and going: whoever loses
 * use access is dropped from it, whoever gains it goes to the end (a holder
 * who comes back is a newcomer). Undefined when the order does not change.
 */
function customOrderAfter(
  number: Pick<PhoneNumberItem, 'members' | 'ringOrder'>,
  changes: EntryChange[],
): string[] | undefined {
  if (number.ringOrder.mode !== 'custom') return undefined;
  const moved = changes.filter(({ from, to }) => usesNumber(from?.access) !== usesNumber(to?.access));
  if (moved.length === 0) return undefined;
  const movedIds = new Set(moved.map((change) => change.userId));
  const kept = ringSequence(number).filter((userId) => !movedIds.has(userId));
  return [...kept, ...moved.filter((change) => usesNumber(change.to?.access)).map((change) => change.userId)];
}

/** The error a failed entry change means, from the number as it is now. */
function whyRefused(
  current: PhoneNumberItem | undefined,
  changes: EntryChange[],
  memberCap: number | undefined,
) {
  if (!current) return new AppError('NUMBER_NOT_FOUND');
  const members = current.members ?? {};
  for (const { userId, from, to } of changes) {
    const now = members[userId];
    if (from ? now?.access !== from.access || now?.since !== from.since : now !== undefined) {
      return new AppError('CONCURRENT_UPDATE');
    }
    const changed = new Set(changes.map((change) => change.userId));
    const others = Object.entries(members).filter(
      ([id, holder]) => !changed.has(id) && usesNumber(holder.access),
    );
    if (to?.access === 'exclusive' && others.length > 0) return accessConflict(others.length);
    if (to?.access === 'shared' && current.exclusiveHolder && !changed.has(current.exclusiveHolder)) {
      return accessConflict(1);
    }
  }
  const added = changes.filter((change) => !change.from).length;
  if (memberCap !== undefined && Object.keys(members).length + added > memberCap) {
    return new AppError(
      'NUMBER_MEMBER_LIMIT',
      `This number already has ${Object.keys(members).length} members, the most the workspace’s plan allows on one number (${memberCap}).`,
    );
  }
  return new AppError('CONCURRENT_UPDATE');
}

function accessConflict(using: number): AppError {
  return new AppError(
    'NUMBER_ACCESS_CONFLICT',
    using === 1
      ? 'Exclusive access means alone: 1 other member holds use access (exclusive or shared) to this number. Change or revoke it first; read-only viewers may stay.'
      : `Exclusive access means alone: ${using} other members hold use access (exclusive or shared) to this number. Change or revoke theirs first; read-only viewers may stay.`,
  );
}
