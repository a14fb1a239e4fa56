import { requireActive } from '../../access/guards';
import { enforce } from '../../access/rules';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { reissue } from './delivery';
import { type Invitation, type InvitationItem, toInvitation } from './items';
import { coolingDown, reserveInvitations, tooSoonToResend } from './limits';
import { requireManagedBy, requirePending } from './records';
import { invitationRequest } from './rules';

/**
 * A new link valid 7 days, and the email queued again. D1 is decided again,
 * as the actor stands now; an invitation is resent at most once a minute
 * after its last send (at once if it never reached the person), never while
 * its email is on its way, however many resends race: the write is
 * conditioned on the delivery it read.
 */
export async function resendInvitation(
  actor: MemberItem,
  workspace: WorkspaceItem,
  item: InvitationItem,
  context: RequestContext,
): Promise<Invitation> {
  const { now } = context;
  requireManagedBy(actor, item);
  enforce(invitationRequest(actor, item.role, item.phoneAssignment));
  requireActive(workspace);
  requirePending(item);
  // Refused early from what was read; the write's own condition decides races.
  if (coolingDown(item.delivery, now)) throw tooSoonToResend(item.delivery, now);
  const reservation = await reserveInvitations(workspace.id, actor.userId, 1, now);
  try {
    return toInvitation(await reissue(item, actor, workspace, context), now);
  } catch (error) {
    await reservation.release(1);
    throw error;
  }
}
