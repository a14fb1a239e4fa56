import { listMyWorkspaces } from '../shared/domain/workspaces';
import { createHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/workspaces';

export const handler = createHandler(routes.listWorkspaces, async ({ caller, query }) => {
  const page = await listMyWorkspaces(caller.userId, query);
  return { data: page.items, nextCursor: page.nextCursor };
});
