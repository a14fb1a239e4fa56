import { listMembers } from '../shared/domain/members';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/members';

export const handler = createWorkspaceHandler(routes.listMembers, async ({ workspaceId, query }) => {
  const page = await listMembers(workspaceId, { role: query.role }, query);
  return { data: page.items, nextCursor: page.nextCursor };
});
