import { actorStillHasRole, workspaceIsActive } from '../../access/guards';
import { holds, permissionDenied } from '../../access/permissions';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { memberKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { copyAvailability } from '../numbers/held';
import type { Hours } from '../numbers/hours';
import { memberTarget, toMember } from './items';

/** Availability is copied onto every number the member holds (up to 100 on one number): kept small. */
const maxAvailabilityBytes = 2048;

/** The request's own 400, before anything is read: availability small enough to copy. */
export function checkAvailabilityInput(availability: Hours | null): void {
  if (availability && Buffer.byteLength(JSON.stringify(availability)) > maxAvailabilityBytes) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      fieldErrors: [
        {
          path: 'availability',
          message: `At most ${maxAvailabilityBytes} bytes as JSON: it is copied onto each number the member holds. Use fewer overrides.`,
        },
      ],
    });
  }
}

/** A member's availability hours: set by themselves, or by owners and admins. */
export async function setAvailability(
  actor: MemberItem,
  target: MemberItem,
  availability: Hours | null,
  context: RequestContext,
) {
  if (actor.userId !== target.userId && !holds(actor.role, 'members.updateRole', undefined)) {
    throw permissionDenied('members.updateRole');
  }
  await transact([
    {
      update: {
        Key: memberKey(target.workspaceId, target.userId),
        UpdateExpression: 'SET availability = :availability',
        ConditionExpression: 'joinedAt = :joinedAt',
        ExpressionAttributeValues: { ':availability': availability, ':joinedAt': target.joinedAt },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) => new AppError(current ? 'CONCURRENT_UPDATE' : 'MEMBER_NOT_FOUND'),
    },
    workspaceIsActive(target.workspaceId),
    ...(actor.userId === target.userId ? [] : [actorStillHasRole(actor)]),
    auditStep({
      ...context,
      workspaceId: target.workspaceId,
      action: 'member.availabilityChanged',
      target: memberTarget(target),
      before: { availability: target.availability ?? null },
      after: { availability },
    }),
  ]);
  await copyAvailability(target, availability);
  return toMember({ ...target, availability });
}
