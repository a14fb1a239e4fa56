import { listMyWorkspaces } from '../../shared/features/workspaces/mine';
import { routes } from '../../shared/features/workspaces/routes';
import { createHandler } from '../../shared/http/handler';

export const handler = createHandler(routes.listWorkspaces, async ({ caller, query }) => {
  const page = await listMyWorkspaces(caller.userId, query);
  return { data: page.items, nextCursor: page.nextCursor };
});
