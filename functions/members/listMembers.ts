import { listMembers } from '../../shared/features/members/list';
import { routes } from '../../shared/features/members/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.listMembers, async ({ workspaceId, query }) => {
  const page = await listMembers(workspaceId, { role: query.role }, query);
  return { data: page.items, nextCursor: page.nextCursor };
});
