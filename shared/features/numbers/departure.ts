import { usesNumber } from '../../access/numbers';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { batchGetConsistent, getConsistent } from '../../db/batch';
import { departureKey, memberKey, phoneNumberKey, workspaceKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { changeEntries, type EntryChange } from './entries';
import { setHeldNumbers } from './held';
import {
  defaultNotifications,
  departingAttribute,
  numberTarget,
  type PhoneNumberItem,
  type StoredHolder,
} from './items';

/**
 * A member's numbers when they go (removed, or leaving). Numbers on which
 * they were the only one with use access pass to the heir (their level and
 * number ownership), or to nobody; on the others they just lose their entry.
 *
 * The membership goes first, in the removal's own transaction, with a
 * departure record naming what is left to do: from that instant every
 * decision refuses them (it reads the membership). The entries are then
 * handed over in transactions of up to `numbersPerTransaction` numbers,
 * each idempotent (it rewrites only entries still as read), and the record
 * goes with the last one. A removal interrupted midway is finished by the
 * same request sent again, which finds the record.
 */
export interface DepartureItem {
  workspaceId: string;
  userId: string;
  heir: string | null;
  hideHistory: boolean;
  numberIds: string[];
  startedAt: string;
}

/** Where one number went, for the audit event. */
export interface NumberDestination {
  id: string;
  number: string;
  /** The heir's user id; null when nobody took it over (unassigned); absent when others still use it. */
  to?: string | null;
}

/** Each number is two items of its transaction (its own, its audit event), with the heir's and the record's. */
const numbersPerTransaction = 40;

async function numbersOf(workspaceId: string, ids: string[]): Promise<PhoneNumberItem[]> {
  const found = await batchGetConsistent(ids.map((id) => phoneNumberKey(workspaceId, id)));
  return found as unknown as PhoneNumberItem[];
}

/** Whether the leaver's entry is the number's only use access: then it is handed over. */
const soleUser = (number: PhoneNumberItem, userId: string) =>
  usesNumber(number.members[userId]?.access) && number.useCount === 1;

/** What happens to each number of the leaver, as the numbers are now. */
export async function planDeparture(leaver: MemberItem, heir: string | null): Promise<NumberDestination[]> {
  const numbers = await numbersOf(leaver.workspaceId, Object.keys(leaver.numberAccess ?? {}));
  return numbers
    .filter((number) => number.members[leaver.userId])
    .map((number) => ({
      id: number.id,
      number: number.number,
      ...(soleUser(number, leaver.userId) ? { to: heir } : {}),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The record written with the membership's deletion. */
export function departureRecord(item: DepartureItem): TransactStep {
  return { put: { Item: { ...departureKey(item.workspaceId, item.userId), ...item } } };
}

/** The heir's new entry: the leaver's level and ownership, history from now when hidden. */
function heirEntry(
  leaver: StoredHolder,
  current: StoredHolder | undefined,
  at: string,
  hideHistory: boolean,
) {
  return {
    ...(current ?? {
      notifications: defaultNotifications,
      since: at,
      availability: null,
    }),
    access: leaver.access,
    numberOwner: leaver.numberOwner,
    historyVisibleFrom: current ? current.historyVisibleFrom : hideHistory ? at : null,
  } as StoredHolder;
}

/** One transaction's worth: the numbers' changes, the heir's lines, and the record's progress. */
function chunkSteps(
  context: RequestContext,
  departure: DepartureItem,
  numbers: PhoneNumberItem[],
  heir: MemberItem | undefined,
  at: string,
  last: boolean,
) {
  const steps: TransactStep[] = [];
  const heirLines: Record<string, { number: string; access: StoredHolder['access'] }> = {};
  for (const number of numbers) {
    const leaving = number.members[departure.userId];
    if (!leaving) continue;
    const changes: EntryChange[] = [{ userId: departure.userId, from: leaving, to: null }];
    if (heir && soleUser(number, departure.userId)) {
      const current = number.members[heir.userId];
      const valid = current && current.since >= heir.joinedAt ? current : undefined;
      const entry = heirEntry(leaving, valid, at, departure.hideHistory);
      entry.availability = (heir.availability as StoredHolder['availability']) ?? null;
      changes.push({ userId: heir.userId, from: current, to: entry });
      heirLines[number.id] = { number: number.number, access: entry.access };
    }
    steps.push(changeEntries(number, changes, { now: at }));
    const handedTo = changes[1];
    steps.push(
      auditStep({
        ...context,
        workspaceId: departure.workspaceId,
        action: 'phoneNumber.accessRevoked',
        target: numberTarget(number),
        before: { userId: departure.userId, access: leaving.access, numberOwner: leaving.numberOwner },
        after: handedTo?.to
          ? {
              reassignedTo: handedTo.userId,
              access: handedTo.to.access,
              numberOwner: handedTo.to.numberOwner,
            }
          : null,
      }),
    );
  }
  if (heir && Object.keys(heirLines).length > 0) steps.push(setHeldNumbers(heir, heirLines));
  const done = new Set(numbers.map((number) => number.id));
  const key = departureKey(departure.workspaceId, departure.userId);
  if (last) {
    // Handed over: routing may ring them again should they come back, and they may.
    steps.push({
      update: {
        Key: workspaceKey(departure.workspaceId),
        UpdateExpression: 'REMOVE #departing',
        ExpressionAttributeNames: { '#departing': departingAttribute(departure.userId) },
      },
    });
  }
  steps.push(
    last
      ? { delete: { Key: key, ConditionExpression: 'attribute_exists(PK)' } }
      : {
          update: {
            Key: key,
            UpdateExpression: 'SET numberIds = :left',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':left': departure.numberIds.filter((id) => !done.has(id)) },
          },
        },
  );
  return steps;
}

/**
 * Hands the leaver's entries over, chunk after chunk, until the record is
 * gone. A chunk whose numbers changed meanwhile is read again and retried.
 */
export async function handOver(departure: DepartureItem, context: RequestContext): Promise<void> {
  const at = context.now.toISOString();
  let remaining = [...departure.numberIds];
  let attempts = 0;
  while (true) {
    const ids = remaining.slice(0, numbersPerTransaction);
    const last = ids.length === remaining.length;
    const heir = departure.heir
      ? await getConsistent<MemberItem>(memberKey(departure.workspaceId, departure.heir))
      : undefined;
    const numbers = ids.length ? await numbersOf(departure.workspaceId, ids) : [];
    try {
      await transact(chunkSteps(context, { ...departure, numberIds: remaining }, numbers, heir, at, last));
    } catch (error) {
      if (!(error instanceof AppError) || attempts >= 3) throw error;
      attempts += 1;
      continue;
    }
    attempts = 0;
    if (last) return;
    remaining = remaining.slice(ids.length);
  }
}
