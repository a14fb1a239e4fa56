import { actorStillHasRole } from '../../access/guards';
import { enforce } from '../../access/rules';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { batchGetConsistent, getConsistent, itemAt } from '../../db/batch';
import { departureKey, memberKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { auditStep } from '../audit/events';
import { billedTransact } from '../billing/account';
import {
  type DepartureItem,
  departureRecord,
  handOver,
  type NumberDestination,
  planDeparture,
} from '../numbers/departure';
import { memberTarget } from './items';
import { removeMemberSteps } from './steps';

export interface RemovalInput {
  /** Who receives the numbers only the removed member used (default: the actor). */
  reassignNumbersTo: string | undefined;
  /** Those numbers go to nobody instead. */
  unassignNumbers: boolean;
  /** Whoever receives a number sees its conversations from now on only. */
  hideHistory: boolean;
  /** What the client says it is (`X-Client-Platform`): removals are made from the web or desktop app. */
  clientPlatform: string | undefined;
}

/** The request's own 400s, before anything is read: one way for the numbers, and not to the removed member. */
export function checkRemovalInput(
  userId: string,
  input: Pick<RemovalInput, 'reassignNumbersTo' | 'unassignNumbers'>,
) {
  if (input.unassignNumbers && input.reassignNumbersTo !== undefined) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      fieldErrors: [
        {
          path: 'unassignNumbers',
          message: 'Give either reassignNumbersTo or unassignNumbers=true, not both.',
        },
      ],
    });
  }
  if (input.reassignNumbersTo === userId) throw new AppError('REASSIGN_TARGET_NOT_MEMBER');
}

/**
 * A member's removal or departure, planned from the member as read and
 * written on the condition that their numbers are still those: when a grant
 * or a revoke slips in between, the member is read again and the plan made
 * anew (a few times), so no entry is ever left to someone gone.
 */
async function departWithNumbers(
  member: MemberItem,
  heir: string | null,
  context: RequestContext,
  write: (member: MemberItem, numbers: NumberDestination[]) => Promise<DepartureItem | undefined>,
): Promise<void> {
  let current = member;
  let departure: DepartureItem | undefined;
  for (let attempt = 1; ; attempt++) {
    const numbers = await planDeparture(current, heir);
    try {
      departure = await write(current, numbers);
      break;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'CONCURRENT_UPDATE' || attempt >= 3) throw error;
      const reread = await getConsistent<MemberItem>(memberKey(member.workspaceId, member.userId));
      if (!reread) throw new AppError('MEMBER_NOT_FOUND');
      // Only a change of their numbers is retried; another role is a new decision for the caller.
      if (reread.role !== member.role) throw error;
      current = reread;
    }
  }
  if (!departure) return;
  try {
    await handOver(departure, context);
  } catch (error) {
    // The member is gone and refused everywhere; what is left of the hand-over, the same request finishes.
    logger.warn('Numbers not all handed over', { workspaceId: departure.workspaceId, error: error as Error });
    throw new AppError(
      'CONCURRENT_UPDATE',
      'The member was removed, but not all of their numbers were handed over yet: send the same request again to finish.',
    );
  }
}

/** Removes a member (an owner: owners only), handing over their numbers; never from a mobile client. */
export async function removeMember(
  actor: MemberItem,
  target: MemberItem,
  input: RemovalInput,
  context: RequestContext,
): Promise<void> {
  enforce({
    kind: 'removal',
    actorRole: actor.role,
    actorId: actor.userId,
    targetId: target.userId,
    targetRole: target.role,
  });
  const heir = input.unassignNumbers ? null : (input.reassignNumbersTo ?? actor.userId);
  // A rule of the product's apps (product.md §6), not a security boundary: the header is the client's own claim.
  if (input.clientPlatform?.toLowerCase() === 'mobile') throw new AppError('MOBILE_NOT_ALLOWED');
  const heirIsMember: TransactStep[] =
    heir === null || heir === actor.userId
      ? []
      : [
          {
            check: { Key: memberKey(target.workspaceId, heir), ConditionExpression: 'attribute_exists(PK)' },
            onConditionFailed: () => new AppError('REASSIGN_TARGET_NOT_MEMBER'),
          },
        ];
  await departWithNumbers(target, heir, context, async (member, numbers) => {
    const departure = departureOf(member, heir, input.hideHistory, numbers, context.now);
    // The seat's credit (and a number it turns extra) in the removal's own transaction.
    await billedTransact(member.workspaceId, { seats: -1 }, memberTarget(member), context, [
      ...removeMemberSteps(member, departure ? { departingSince: departure.startedAt } : {}),
      actorStillHasRole(actor),
      ...heirIsMember,
      ...(departure ? [departureRecord(departure)] : []),
      auditStep({
        ...context,
        workspaceId: member.workspaceId,
        action: 'member.removed',
        target: memberTarget(member),
        before: { role: member.role, email: member.email, phoneNumbers: numbers.map((number) => number.id) },
        after: { numbersReassignedTo: heir, hideHistory: input.hideHistory, numbers },
      }),
    ]);
    return departure;
  });
}

/** What is left to hand over once the membership is gone, if the member held any number. */
function departureOf(
  member: MemberItem,
  heir: string | null,
  hideHistory: boolean,
  numbers: NumberDestination[],
  now: Date,
): DepartureItem | undefined {
  if (numbers.length === 0) return undefined;
  return {
    workspaceId: member.workspaceId,
    userId: member.userId,
    heir,
    hideHistory,
    numberIds: numbers.map((number) => number.id),
    startedAt: now.toISOString(),
  };
}

/**
 * The member a removal names, or, when they are already gone, the removal of
 * theirs that stopped before their numbers were all handed over (sending the
 * same request again finishes it): one request for both.
 */
export async function findRemoval(
  workspaceId: string,
  userId: string,
): Promise<{ target: MemberItem } | { unfinished: DepartureItem }> {
  const found = await batchGetConsistent([memberKey(workspaceId, userId), departureKey(workspaceId, userId)]);
  const target = itemAt(found, memberKey(workspaceId, userId)) as MemberItem | undefined;
  if (target) return { target };
  const unfinished = itemAt(found, departureKey(workspaceId, userId)) as DepartureItem | undefined;
  if (unfinished) return { unfinished };
  throw new AppError('MEMBER_NOT_FOUND');
}

/** Finishes the hand-over of a removal that stopped midway. */
export const finishRemoval = (unfinished: DepartureItem, context: RequestContext) =>
  handOver(unfinished, context);

/** The caller leaves (the last owner cannot); numbers they alone used become unassigned. */
export async function leave(member: MemberItem, context: RequestContext): Promise<void> {
  await departWithNumbers(member, null, context, async (current, numbers) => {
    const departure = departureOf(current, null, false, numbers, context.now);
    await billedTransact(current.workspaceId, { seats: -1 }, memberTarget(current), context, [
      ...removeMemberSteps(current, departure ? { departingSince: departure.startedAt } : {}),
      ...(departure ? [departureRecord(departure)] : []),
      auditStep({
        ...context,
        workspaceId: current.workspaceId,
        action: 'member.left',
        target: memberTarget(current),
        before: { role: current.role, phoneNumbers: numbers.map((number) => number.id) },
        after: numbers.length ? { numbers } : null,
      }),
    ]);
    return departure;
  });
}
