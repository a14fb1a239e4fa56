import { actorStillHasRole } from '../../access/guards';
import { enforce } from '../../access/rules';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { memberKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { memberTarget } from './items';
import { removeMemberSteps } from './steps';

export interface RemovalInput {
  /** Who receives the removed member's numbers (default: the actor). */
  reassignNumbersTo: string | undefined;
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
  const heir = input.reassignNumbersTo ?? actor.userId;
  if (heir === target.userId) throw new AppError('REASSIGN_TARGET_NOT_MEMBER');
  // A rule of the product's apps (product.md §6), not a security boundary: the header is the client's own claim.
  if (input.clientPlatform?.toLowerCase() === 'mobile') throw new AppError('MOBILE_NOT_ALLOWED');
  const heirIsMember: TransactStep[] =
    heir === actor.userId
      ? []
      : [
          {
            check: { Key: memberKey(target.workspaceId, heir), ConditionExpression: 'attribute_exists(PK)' },
            onConditionFailed: () => new AppError('REASSIGN_TARGET_NOT_MEMBER'),
          },
        ];
  await transact([
    ...removeMemberSteps(target),
    actorStillHasRole(actor),
    ...heirIsMember,
    auditStep({
      ...context,
      workspaceId: target.workspaceId,
      action: 'member.removed',
      target: memberTarget(target),
      before: {
        role: target.role,
        email: target.email,
        phoneNumbers: target.phoneNumbers.map((number) => number.id),
      },
      after: { numbersReassignedTo: heir },
    }),
  ]);
}

/** The caller leaves; the last owner cannot. */
export async function leave(member: MemberItem, context: RequestContext): Promise<void> {
  await transact([
    ...removeMemberSteps(member),
    auditStep({
      ...context,
      workspaceId: member.workspaceId,
      action: 'member.left',
      target: memberTarget(member),
      before: { role: member.role },
      after: null,
    }),
  ]);
}
