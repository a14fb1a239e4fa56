import { listAuditEvents } from '../../shared/features/audit/list';
import { routes } from '../../shared/features/audit/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.listAuditEvents, async ({ workspaceId, query }) => {
  const page = await listAuditEvents(workspaceId, { action: query.action, actor: query.actor }, query);
  return { data: page.items, nextCursor: page.nextCursor };
});
