import { resendInvitation } from '../shared/domain/invitation-resend';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/invitations';

export const handler = createWorkspaceHandler(
  routes.resendInvitation,
  async ({ params, membership, workspace, caller, requestId, now }) => ({
    data: await resendInvitation(membership, workspace, params.invitationId, { caller, requestId, now }),
  }),
);
