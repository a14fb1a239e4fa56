import { listLedger } from '../../shared/features/billing/read';
import { routes } from '../../shared/features/billing/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.listBillingLedger, async ({ workspaceId, query }) => {
  const page = await listLedger(workspaceId, { limit: query.limit, after: query.after });
  return { data: page.items, nextCursor: page.nextCursor };
});
