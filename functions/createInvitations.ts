import { createInvitations } from '../shared/domain/invitations';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/invitations';

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
