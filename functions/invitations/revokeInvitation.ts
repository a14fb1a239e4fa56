import { getInvitationItem } from '../../shared/features/invitations/records';
import { revokeInvitation } from '../../shared/features/invitations/revoke';
import { routes } from '../../shared/features/invitations/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.revokeInvitation, {
  prepare: ({ workspaceId, params }) => getInvitationItem(workspaceId, params.invitationId),
  run: async ({ membership, workspace, caller, requestId, now }, invitation) => {
    await revokeInvitation(membership, workspace, invitation, { caller, requestId, now });
    return undefined;
  },
});
