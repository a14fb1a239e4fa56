import { createInvitations } from '../../shared/features/invitations/create';
import { routes } from '../../shared/features/invitations/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.createInvitations,
  async ({ body, membership, workspace, caller, requestId, now, header }) =>
    createInvitations(
      membership,
      workspace,
      {
        emails: body.emails,
        role: body.role,
        phoneAssignment: body.phoneAssignment,
        idempotencyKey: header('idempotency-key'),
      },
      { caller, requestId, now },
    ),
);
