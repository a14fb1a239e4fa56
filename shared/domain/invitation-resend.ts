import { AppError } from '../http/errors';
import { enforce } from '../permissions';
import { type Invitation, toInvitation } from './invitation-items';
import { resendCooldownMs, reserveInvitations } from './invitation-limits';
import { pendingInvitationFor } from './invitation-records';
import { invitationRequest, requireActive } from './invitation-rules';
import { reissue } from './invitation-sending';
import type { MemberItem, WorkspaceItem } from './items';
import type { ChangeContext } from './workspaces';

/**
 * A new link valid 7 days, and the email again. D1 is decided again, as the
 * actor stands now; a delivered invitation is resent at most once a minute.
 */
export async function resendInvitation(
  actor: MemberItem,
  workspace: WorkspaceItem,
  invitationId: string,
  context: ChangeContext,
): Promise<Invitation> {
  const { now } = context;
  requireActive(workspace);
  const item = await pendingInvitationFor(actor, workspace, invitationId, 'resend');
  enforce(invitationRequest(actor, workspace, item.role, item.phoneAssignment));
  const sinceLast = now.getTime() - Date.parse(item.delivery.lastAttemptAt);
  if (item.delivery.status === 'sent' && sinceLast < resendCooldownMs) {
    throw new AppError('RATE_LIMITED', 'This invitation was just sent; wait a minute before resending it.');
  }
  const reservation = await reserveInvitations(workspace.id, actor.userId, 1, now);
  try {
    return toInvitation(await reissue(item, actor, workspace, context), now);
  } catch (error) {
    await reservation.release(1);
    throw error;
  }
}
