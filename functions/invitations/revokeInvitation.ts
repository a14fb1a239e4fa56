import { revokeInvitation } from '../../shared/features/invitations/revoke';
import { routes } from '../../shared/features/invitations/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.revokeInvitation,
  async ({ params, membership, workspace, caller, requestId, now }) => {
    await revokeInvitation(membership, workspace, params.invitationId, { caller, requestId, now });
    return undefined;
  },
);
