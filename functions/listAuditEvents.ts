import { listAuditEvents } from '../shared/domain/audit';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/audit';

export const handler = createWorkspaceHandler(routes.listAuditEvents, async ({ workspaceId, query }) => {
  const page = await listAuditEvents(workspaceId, { action: query.action, actor: query.actor }, query);
  return { data: page.items, nextCursor: page.nextCursor };
});
