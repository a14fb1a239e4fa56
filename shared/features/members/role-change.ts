import { actorStillHasRole } from '../../access/guards';
import type { Role } from '../../access/roles';
import { enforce } from '../../access/rules';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { type Member, memberTarget, toMember } from './items';
import { moveCounts, ownerDelta, setRole } from './steps';

/** D3 decides; the owner count keeps an owner; the actor must still hold the role decided on. */
export async function changeRole(
  actor: MemberItem,
  target: MemberItem,
  newRole: Role,
  context: RequestContext,
): Promise<Member> {
  enforce({
    kind: 'roleChange',
    actorRole: actor.role,
    actorId: actor.userId,
    targetId: target.userId,
    targetRole: target.role,
    newRole,
  });
  if (target.role === newRole) return toMember(target);
  const self = actor.userId === target.userId;
  await transact([
    setRole(target, newRole),
    moveCounts(target.workspaceId, { owners: ownerDelta(target.role, newRole) }),
    // Stepping down, the actor's own role is the one the first step conditions on.
    ...(self ? [] : [actorStillHasRole(actor)]),
    auditStep({
      ...context,
      workspaceId: target.workspaceId,
      action: 'member.roleChanged',
      target: memberTarget(target),
      before: { role: target.role },
      after: { role: newRole },
    }),
  ]);
  return toMember({ ...target, role: newRole });
}
