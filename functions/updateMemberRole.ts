import { changeRole, getMemberItem } from '../shared/domain/members';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes';

export const handler = createWorkspaceHandler(
  routes.updateMemberRole,
  async ({ workspaceId, params, body, membership, caller, requestId, now }) => {
    const target =
      params.userId === membership.userId ? membership : await getMemberItem(workspaceId, params.userId);
    const member = await changeRole(membership, target, body.role, { caller, requestId, now });
    return { data: member };
  },
);
