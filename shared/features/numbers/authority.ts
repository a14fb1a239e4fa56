import { actorStillHasRole, workspaceIsActive } from '../../access/guards';
import { holds } from '../../access/permissions';
import type { MemberItem, Plan } from '../../access/tenancy';
import { AppError } from '../../core/errors';
import { memberKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { stillNumberOwner } from './entries';
import type { MemberCondition } from './held';

/**
 * What a change to a number re-checks at write time about the actor who
 * decided it: the workspace is still active, and the actor still manages the
 * number the way the decision said, by role (their member item) or as its
 * number owner (the number's own item, folded into that item's step). When
 * the actor's member item is written by the change itself, the role check
 * goes into that write (`ownRole`), as one transaction writes an item once.
 * `onPlan`: the change is one the plan limits, so the plan must not move meanwhile.
 */
const stillThisMember = (actor: MemberItem): TransactStep => ({
  check: {
    Key: memberKey(actor.workspaceId, actor.userId),
    ConditionExpression: 'joinedAt = :actorJoinedAt',
    ExpressionAttributeValues: { ':actorJoinedAt': actor.joinedAt },
  },
  onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
});

export function actorAuthority(actor: MemberItem, options: { writesActor: boolean; onPlan?: Plan }) {
  const byRole = holds(actor.role, 'numbers.updateSettings', undefined);
  const roleCondition: MemberCondition = {
    expression: '#role = :decidedRole',
    names: { '#role': 'role' },
    values: { ':decidedRole': actor.role },
  };
  const sameJoining: MemberCondition = { expression: 'attribute_exists(PK)', names: {}, values: {} };
  const steps: TransactStep[] = [workspaceIsActive(actor.workspaceId, options.onPlan)];
  if (byRole && !options.writesActor) steps.push(actorStillHasRole(actor));
  // A number owner acts as long as they are this member (not removed meanwhile, their entry still handed over).
  if (!byRole && !options.writesActor) steps.push(stillThisMember(actor));
  return {
    steps,
    /** For the number's own step, when the decision rests on the actor's number ownership. */
    onNumber: byRole ? undefined : stillNumberOwner(actor.userId),
    /** For the actor's member step, when the change writes it. */
    ownRole: options.writesActor ? (byRole ? roleCondition : sameJoining) : undefined,
  };
}
