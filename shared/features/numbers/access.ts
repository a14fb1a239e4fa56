import { holderEntry, type NumberAccessItem } from '../../access/numbers';
import { planTable } from '../../access/plans';
import type { NumberAccess } from '../../access/roles';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { actorAuthority } from './authority';
import { changeEntries } from './entries';
import { setHeldNumbers } from './held';
import {
  defaultNotifications,
  numberTarget,
  type PhoneNumberItem,
  type StoredHolder,
  toHolder,
} from './items';

// An entry older than the membership is what an interrupted removal left: it is replaced as if absent.
const entryOf = (number: PhoneNumberItem, member: MemberItem) =>
  holderEntry(number, member) as StoredHolder | undefined;

const auditView = (entry: StoredHolder | undefined) =>
  entry ? { access: entry.access, numberOwner: entry.numberOwner } : null;

/**
 * Grants a member access to a number, or changes it: the number's entry, the
 * member's `numberAccess` and the audit event in one transaction, with D4,
 * the plan's cap and the actor's authority as its conditions.
 */
export async function setAccess(
  actor: MemberItem,
  workspace: WorkspaceItem,
  target: MemberItem,
  numberRead: NumberAccessItem,
  change: { access: NumberAccess; numberOwner: boolean | undefined },
  context: RequestContext,
) {
  const number = numberRead as PhoneNumberItem;
  const numberOwner = change.numberOwner ?? false;
  const stale = number.members[target.userId];
  const from = entryOf(number, target);
  if (from && from.access === change.access && from.numberOwner === numberOwner)
    return toHolder(target.userId, from);
  const at = context.now.toISOString();
  const to: StoredHolder = from
    ? { ...from, access: change.access, numberOwner }
    : {
        access: change.access,
        numberOwner,
        notifications: defaultNotifications,
        historyVisibleFrom: null,
        since: at,
        availability: (target.availability as StoredHolder['availability']) ?? null,
      };
  const authority = actorAuthority(actor, {
    writesActor: actor.userId === target.userId,
    // A new entry counts against the plan's members per number: the plan must hold until it commits.
    ...(from ? {} : { onPlan: workspace.plan }),
  });
  await transact([
    changeEntries(number, [{ userId: target.userId, from: from ?? stale, to }], {
      now: at,
      memberCap: planTable[workspace.plan].membersPerNumber,
      ...(authority.onNumber ? { also: authority.onNumber } : {}),
    }),
    setHeldNumbers(
      target,
      { [number.id]: { number: number.number, access: change.access } },
      authority.ownRole,
    ),
    ...authority.steps,
    auditStep({
      ...context,
      workspaceId: number.workspaceId,
      action: from ? 'phoneNumber.accessChanged' : 'phoneNumber.accessGranted',
      target: numberTarget(number),
      before: from ? { userId: target.userId, ...auditView(from) } : null,
      after: { userId: target.userId, ...auditView(to) },
    }),
  ]);
  return toHolder(target.userId, to);
}

/** Revokes a member's access to a number (a stale entry too), in one transaction with the member's list. */
export async function revokeAccess(
  actor: MemberItem,
  target: MemberItem,
  numberRead: NumberAccessItem,
  context: RequestContext,
): Promise<void> {
  const number = numberRead as PhoneNumberItem;
  const entry = number.members[target.userId];
  if (!entry) throw new AppError('MEMBER_NOT_FOUND', 'This member holds no access to this number.');
  const authority = actorAuthority(actor, { writesActor: actor.userId === target.userId });
  await transact([
    changeEntries(number, [{ userId: target.userId, from: entry, to: null }], {
      now: context.now.toISOString(),
      ...(authority.onNumber ? { also: authority.onNumber } : {}),
    }),
    setHeldNumbers(target, { [number.id]: null }, authority.ownRole),
    ...authority.steps,
    auditStep({
      ...context,
      workspaceId: number.workspaceId,
      action: 'phoneNumber.accessRevoked',
      target: numberTarget(number),
      before: { userId: target.userId, ...auditView(entry) },
      after: null,
    }),
  ]);
}
