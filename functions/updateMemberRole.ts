import { changeRole, existingMember } from '../shared/domain/members';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/members';

export const handler = createWorkspaceHandler(
  routes.updateMemberRole,
  async ({ target, body, membership, caller, requestId, now }) => ({
    data: await changeRole(membership, existingMember(target), body.role, { caller, requestId, now }),
  }),
);
