import { listMyJoinRequests } from '../../shared/features/domains/requests';
import { routes } from '../../shared/features/domains/routes';
import { createHandler } from '../../shared/http/handler';

export const handler = createHandler(routes.listMyJoinRequests, async ({ caller, query }) => {
  const page = await listMyJoinRequests(caller.userId, query);
  return { data: page.items, nextCursor: page.nextCursor };
});
