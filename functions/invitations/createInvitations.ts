import { createInvitations, prepareInvitations } from '../../shared/features/invitations/create';
import { routes } from '../../shared/features/invitations/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.createInvitations, {
  prepare: ({ body, workspaceId }) => prepareInvitations(workspaceId, body),
  run: ({ body, membership, workspace, caller, requestId, now, header }, prepared) =>
    createInvitations(
      membership,
      workspace,
      {
        emails: body.emails,
        role: body.role,
        phoneAssignment: body.phoneAssignment,
        idempotencyKey: header('idempotency-key'),
      },
      prepared,
      { caller, requestId, now },
    ),
});
