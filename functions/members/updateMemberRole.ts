import { changeRole } from '../../shared/features/members/role-change';
import { routes } from '../../shared/features/members/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.updateMemberRole,
  async ({ target, body, membership, caller, requestId, now }) => ({
    data: await changeRole(membership, target, body.role, { caller, requestId, now }),
  }),
);
