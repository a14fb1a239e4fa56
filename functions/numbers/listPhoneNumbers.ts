import { listNumbers } from '../../shared/features/numbers/list';
import { routes } from '../../shared/features/numbers/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.listPhoneNumbers, async ({ membership, query }) => {
  const page = await listNumbers(membership, query.userId, { limit: query.limit, after: query.after });
  return { data: page.items, nextCursor: page.nextCursor };
});
