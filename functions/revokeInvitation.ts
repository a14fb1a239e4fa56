import { revokeInvitation } from '../shared/domain/invitation-management';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/invitations';

export const handler = createWorkspaceHandler(
  routes.revokeInvitation,
  async ({ params, membership, workspace, caller, requestId, now }) => {
    await revokeInvitation(membership, workspace, params.invitationId, { caller, requestId, now });
    return undefined;
  },
);
