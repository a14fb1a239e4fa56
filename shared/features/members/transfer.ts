import { workspaceIsActive } from '../../access/guards';
import { enforce } from '../../access/rules';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { type Member, memberTarget, toMember } from './items';
import { setRole } from './steps';

/** The target becomes an owner and the caller an admin, in one step. */
export async function transferOwnership(
  actor: MemberItem,
  target: MemberItem,
  context: RequestContext,
): Promise<{ from: Member; to: Member }> {
  enforce({
    kind: 'ownershipTransfer',
    actorId: actor.userId,
    targetId: target.userId,
    targetRole: target.role,
  });
  await transact([
    setRole(target, 'owner'),
    // The actor's own role is conditioned on by this step: owners stay as many.
    setRole(actor, 'admin'),
    workspaceIsActive(actor.workspaceId),
    auditStep({
      ...context,
      workspaceId: actor.workspaceId,
      action: 'ownership.transferred',
      target: memberTarget(target),
      before: {
        from: { userId: actor.userId, role: actor.role },
        to: { userId: target.userId, role: target.role },
      },
      after: { from: { userId: actor.userId, role: 'admin' }, to: { userId: target.userId, role: 'owner' } },
    }),
  ]);
  return { from: toMember({ ...actor, role: 'admin' }), to: toMember({ ...target, role: 'owner' }) };
}
