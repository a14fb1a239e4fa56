import { listPortingRequests } from '../../shared/features/porting/list';
import { routes } from '../../shared/features/porting/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.listPortingRequests, async ({ workspaceId, query }) => {
  const page = await listPortingRequests(workspaceId, query.status, {
    limit: query.limit,
    after: query.after,
  });
  return { data: page.items, nextCursor: page.nextCursor };
});
