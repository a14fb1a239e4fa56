import { actorStillHasRole } from '../../access/guards';
import { enforce } from '../../access/rules';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { batchGetConsistent, itemAt } from '../../db/batch';
import { departureKey, memberKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
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

/** Removes a member (an owner: owners only), reassigning their numbers; never from a mobile client. */
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
  const heir = input.unassignNumbers ? null : (input.reassignNumbersTo ?? actor.userId);
  if (heir === target.userId) throw new AppError('REASSIGN_TARGET_NOT_MEMBER');
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
  const numbers = await planDeparture(target, heir);
  const departure = departureOf(target, heir, input.hideHistory, numbers, context.now);
  await transact([
    ...removeMemberSteps(target),
    actorStillHasRole(actor),
    ...heirIsMember,
    ...(departure ? [departureRecord(departure)] : []),
    auditStep({
      ...context,
      workspaceId: target.workspaceId,
      action: 'member.removed',
      target: memberTarget(target),
      before: { role: target.role, email: target.email, phoneNumbers: numbers.map((number) => number.id) },
      after: { numbersReassignedTo: heir, hideHistory: input.hideHistory, numbers },
    }),
  ]);
  if (departure) await handOver(departure, context.now);
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
export const finishRemoval = (unfinished: DepartureItem, now: Date) => handOver(unfinished, now);

/** The caller leaves (the last owner cannot); numbers they alone used become unassigned. */
export async function leave(member: MemberItem, context: RequestContext): Promise<void> {
  const numbers = await planDeparture(member, null);
  const departure = departureOf(member, null, false, numbers, context.now);
  await transact([
    ...removeMemberSteps(member),
    ...(departure ? [departureRecord(departure)] : []),
    auditStep({
      ...context,
      workspaceId: member.workspaceId,
      action: 'member.left',
      target: memberTarget(member),
      before: { role: member.role, phoneNumbers: numbers.map((number) => number.id) },
      after: numbers.length ? { numbers } : null,
    }),
  ]);
  if (departure) await handOver(departure, context.now);
}
