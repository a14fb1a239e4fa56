import { usesNumber } from '../../access/numbers';
import { planTable } from '../../access/plans';
import type { NumberAccess } from '../../access/roles';
import type { HeldNumber, MemberItem, WorkspaceItem } from '../../access/tenancy';
import { batchGetConsistent } from '../../db/batch';
import { phoneNumberKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { changeEntries } from './entries';
import { defaultNotifications, type NotSharedReason, type PhoneNumberItem } from './items';

export interface NumberNotShared {
  id: string;
  number: string;
  reason: NotSharedReason;
}

/** Whether `access` can be granted to a newcomer on `number` as it is now (D4, the plan's cap). */
function refusal(
  number: PhoneNumberItem | undefined,
  access: NumberAccess,
  cap: number,
): NotSharedReason | undefined {
  if (!number) return 'NUMBER_NOT_FOUND';
  if (access === 'exclusive' && number.useCount > 0) return 'NUMBER_ACCESS_CONFLICT';
  if (access === 'shared' && number.exclusiveHolder) return 'NUMBER_ACCESS_CONFLICT';
  if (Object.keys(number.members).length >= cap) return 'NUMBER_MEMBER_LIMIT';
  return undefined;
}

/**
 * The access entries an accepted invitation creates, as steps of the
 * accept's own transaction (each with D4 and the cap as its conditions), and
 * the numbers it can no longer share, with why: those do not block the accept.
 */
export async function sharedOnAccept(
  workspace: Pick<WorkspaceItem, 'id' | 'plan'>,
  member: MemberItem,
  numbers: { id: string; number: string }[],
  access: NumberAccess,
  at: string,
): Promise<{ steps: TransactStep[]; held: Record<string, HeldNumber>; notShared: NumberNotShared[] }> {
  const found = (await batchGetConsistent(
    numbers.map(({ id }) => phoneNumberKey(workspace.id, id)),
  )) as unknown as PhoneNumberItem[];
  const cap = planTable[workspace.plan].membersPerNumber;
  const steps: TransactStep[] = [];
  const held: Record<string, HeldNumber> = {};
  const notShared: NumberNotShared[] = [];
  for (const { id, number } of numbers) {
    const item = found.find((candidate) => candidate.id === id);
    // An entry left by this person's earlier membership is replaced, not counted.
    const stale = item?.members[member.userId];
    const reason = refusal(stale && item ? withoutEntry(item, member.userId) : item, access, cap);
    if (reason || !item) {
      notShared.push({ id, number, reason: reason ?? 'NUMBER_NOT_FOUND' });
      continue;
    }
    steps.push(
      changeEntries(
        item,
        [
          {
            userId: member.userId,
            from: stale,
            to: {
              access,
              numberOwner: false,
              notifications: defaultNotifications,
              historyVisibleFrom: null,
              since: at,
              availability: null,
            },
          },
        ],
        { now: at, memberCap: cap },
      ),
    );
    held[id] = { number: item.number, access };
  }
  return { steps, held, notShared };
}

/** The number as if this member's entry were not there. */
function withoutEntry(item: PhoneNumberItem, userId: string): PhoneNumberItem {
  const { [userId]: entry, ...members } = item.members;
  const { exclusiveHolder, ...rest } = item;
  return {
    ...rest,
    members,
    useCount: item.useCount - (usesNumber(entry?.access) ? 1 : 0),
    ...(exclusiveHolder && exclusiveHolder !== userId ? { exclusiveHolder } : {}),
  };
}
