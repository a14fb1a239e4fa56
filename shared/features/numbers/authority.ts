import { actorStillHasRole, workspaceIsActive } from '../../access/guards';
import { holds } from '../../access/permissions';
import type { MemberItem } from '../../access/tenancy';
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
 */
export function actorAuthority(actor: MemberItem, options: { writesActor: boolean }) {
  const byRole = holds(actor.role, 'numbers.updateSettings', undefined);
  const roleCondition: MemberCondition = {
    expression: '#role = :decidedRole',
    names: { '#role': 'role' },
    values: { ':decidedRole': actor.role },
  };
  const steps: TransactStep[] = [workspaceIsActive(actor.workspaceId)];
  if (byRole && !options.writesActor) steps.push(actorStillHasRole(actor));
  return {
    steps,
    /** For the number's own step, when the decision rests on the actor's number ownership. */
    onNumber: byRole ? undefined : stillNumberOwner(actor.userId),
    /** For the actor's member step, when the change writes it. */
    ownRole: byRole && options.writesActor ? roleCondition : undefined,
  };
}
