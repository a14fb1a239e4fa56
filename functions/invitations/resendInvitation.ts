import { resendInvitation } from '../../shared/features/invitations/resend';
import { routes } from '../../shared/features/invitations/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.resendInvitation,
  async ({ params, membership, workspace, caller, requestId, now }) => ({
    data: await resendInvitation(membership, workspace, params.invitationId, { caller, requestId, now }),
  }),
);
