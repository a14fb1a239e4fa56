import type { NumberAccessItem, NumberHolder } from '../../access/numbers';
import type { NumberAccess } from '../../access/roles';
import type { MemberItem } from '../../access/tenancy';
import { newId } from '../../core/ids';
import { phoneNumberKey } from '../../db/keys';
import type { Hours } from './hours';
import type { ParsedNumber } from './phone';

export const callActions = ['voicemail', 'forward', 'hangup'] as const;
type CallAction = (typeof callActions)[number];

export interface CallOutcome {
  action: CallAction;
  /** Where `forward` sends the call (E.164); null for the other actions. */
  forwardTo: string | null;
}

export interface CallFlow {
  ringTimeoutSeconds: number;
  unanswered: CallOutcome;
  afterHours: CallOutcome;
}

/** Why a number an invitation shares could not be shared at accept. */
export const notSharedReasons = [
  'NUMBER_NOT_FOUND',
  'NUMBER_ACCESS_CONFLICT',
  'NUMBER_MEMBER_LIMIT',
] as const;
export type NotSharedReason = (typeof notSharedReasons)[number];

export const ringModes = ['all-at-once', 'random', 'custom'] as const;
export type RingMode = (typeof ringModes)[number];

export interface RingOrder {
  mode: RingMode;
  /** `random` only: how many ring at a time. */
  groupSize: number | null;
  /** `custom` only: as last set; who holds use access now decides who is in it (see `ringSequence`). */
  order: string[] | null;
}

/** One holder's entry, with the availability copied from their member item so that routing is one read. */
export interface StoredHolder extends NumberHolder {
  availability: Hours | null;
}

/**
 * A phone number as stored: its settings and, in `members`, every member's
 * access entry. `useCount` (holders with exclusive or shared access) and
 * `exclusiveHolder` are what D4's conditions read; `size(members)` is what
 * the plan's cap reads.
 */
export interface PhoneNumberItem extends NumberAccessItem {
  number: string;
  formattedNumber: string;
  country: string | null;
  name: string;
  callerIdName: string | null;
  businessHours: Hours | null;
  callFlow: CallFlow;
  ringOrder: RingOrder;
  members: Record<string, StoredHolder>;
  useCount: number;
  exclusiveHolder?: string;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

export const defaultCallFlow: CallFlow = {
  ringTimeoutSeconds: 30,
  unanswered: { action: 'voicemail', forwardTo: null },
  afterHours: { action: 'voicemail', forwardTo: null },
};

export const defaultRingOrder: RingOrder = { mode: 'all-at-once', groupSize: null, order: null };

export const defaultNotifications: NumberHolder['notifications'] = {
  calls: true,
  messages: true,
  voicemail: true,
};

/**
 * The workspace item's mark of a member whose removal is still handing their
 * numbers over: routing leaves them out, and they cannot join again until it
 * is finished.
 */
export const departingAttribute = (userId: string) => `departing#${userId}`;
const departingPrefix = departingAttribute('');

/** Who the workspace item marks as still being handed over. */
export const departingMembers = (workspace: object) =>
  new Set(
    Object.keys(workspace)
      .filter((name) => name.startsWith(departingPrefix))
      .map((name) => name.slice(departingPrefix.length)),
  );

export interface NewNumber {
  workspaceId: string;
  parsed: ParsedNumber;
  name?: string | undefined;
  callerIdName?: string | null | undefined;
  /** The member who gets it as its exclusive holder and number owner (an onboarding pick, a port's `assignTo`). */
  holder?: MemberItem | undefined;
  createdBy: string;
  now: Date;
}

/** A number as it enters the workspace: default settings, and its first holder if it has one. */
export function newNumberItem(input: NewNumber): PhoneNumberItem {
  const { parsed, holder } = input;
  const at = input.now.toISOString();
  return {
    id: newId('PN', input.now.getTime()),
    workspaceId: input.workspaceId,
    ...parsed,
    name: input.name ?? parsed.formattedNumber,
    callerIdName: input.callerIdName ?? null,
    businessHours: null,
    callFlow: defaultCallFlow,
    ringOrder: defaultRingOrder,
    members: holder
      ? {
          [holder.userId]: {
            access: 'exclusive',
            numberOwner: true,
            notifications: defaultNotifications,
            historyVisibleFrom: null,
            since: at,
            availability: (holder.availability as Hours | undefined) ?? null,
          },
        }
      : {},
    useCount: holder ? 1 : 0,
    ...(holder ? { exclusiveHolder: holder.userId } : {}),
    createdAt: at,
    updatedAt: at,
    createdBy: input.createdBy,
  };
}

export const numberRecord = (item: PhoneNumberItem) => ({
  ...phoneNumberKey(item.workspaceId, item.id),
  ...item,
});

export const numberTarget = (item: Pick<PhoneNumberItem, 'id'>) => ({ type: 'phoneNumber', id: item.id });

/** Holders in the order access was granted, oldest first (then by user id, for equal instants). */
export function holdersInOrder(item: Pick<PhoneNumberItem, 'members'>): [string, StoredHolder][] {
  return Object.entries(item.members).sort(
    ([a, first], [b, second]) => first.since.localeCompare(second.since) || a.localeCompare(b),
  );
}

const usesAccess = (access: NumberAccess) => access === 'exclusive' || access === 'shared';

/** Who holds use access, in holder order. */
export const useHolders = (item: Pick<PhoneNumberItem, 'members'>) =>
  holdersInOrder(item)
    .filter(([, holder]) => usesAccess(holder.access))
    .map(([userId]) => userId);

/**
 * The custom order as it applies now: the order last set, without those who
 * no longer hold use access, then whoever gained it since, in holder order.
 * So the order survives holders coming and going, and nothing resets it.
 */
export function ringSequence(item: Pick<PhoneNumberItem, 'members' | 'ringOrder'>): string[] {
  const holders = useHolders(item);
  const kept = (item.ringOrder.order ?? []).filter((userId) => holders.includes(userId));
  return [...kept, ...holders.filter((userId) => !kept.includes(userId))];
}

export const toHolder = (userId: string, holder: StoredHolder) => ({
  userId,
  access: holder.access,
  numberOwner: holder.numberOwner,
  notifications: holder.notifications,
  historyVisibleFrom: holder.historyVisibleFrom,
  since: holder.since,
});

export const toPhoneNumber = (item: PhoneNumberItem) => ({
  id: item.id,
  number: item.number,
  formattedNumber: item.formattedNumber,
  country: item.country,
  name: item.name,
  callerIdName: item.callerIdName,
  businessHours: item.businessHours,
  callFlow: item.callFlow,
  ringOrder: {
    mode: item.ringOrder.mode,
    groupSize: item.ringOrder.groupSize,
    order: item.ringOrder.mode === 'custom' ? ringSequence(item) : null,
  },
  members: holdersInOrder(item).map(([userId, holder]) => toHolder(userId, holder)),
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});

export type PhoneNumber = ReturnType<typeof toPhoneNumber>;
