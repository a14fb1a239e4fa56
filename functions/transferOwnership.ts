import { getMemberItem, transferOwnership } from '../shared/domain/members';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes';

export const handler = createWorkspaceHandler(
  routes.transferOwnership,
  async ({ workspaceId, body, membership, caller, requestId, now }) => {
    const target =
      body.userId === membership.userId ? membership : await getMemberItem(workspaceId, body.userId);
    return { data: await transferOwnership(membership, target, { caller, requestId, now }) };
  },
);
