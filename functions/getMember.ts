import { toMember } from '../shared/domain/items';
import { getMemberItem } from '../shared/domain/members';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes';

export const handler = createWorkspaceHandler(
  routes.getMember,
  async ({ workspaceId, params, membership }) => {
    const member =
      params.userId === membership.userId ? membership : await getMemberItem(workspaceId, params.userId);
    return { data: toMember(member) };
  },
);
