import { getInvitationItem } from '../../shared/features/invitations/records';
import { resendInvitation } from '../../shared/features/invitations/resend';
import { routes } from '../../shared/features/invitations/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.resendInvitation, {
  prepare: ({ workspaceId, params }) => getInvitationItem(workspaceId, params.invitationId),
  run: async ({ membership, workspace, caller, requestId, now }, invitation) => ({
    data: await resendInvitation(membership, workspace, invitation, { caller, requestId, now }),
  }),
});
