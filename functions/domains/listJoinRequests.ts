import { listJoinRequests } from '../../shared/features/domains/requests';
import { routes } from '../../shared/features/domains/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.listJoinRequests, async ({ workspaceId, query }) => {
  const page = await listJoinRequests(workspaceId, query.status, query);
  return { data: page.items, nextCursor: page.nextCursor };
});
