import { listClaims } from '../../shared/features/domains/claims';
import { toDomain } from '../../shared/features/domains/items';
import { routes } from '../../shared/features/domains/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.listDomains, async ({ workspaceId, query, now }) => {
  const page = await listClaims(workspaceId, query);
  return { data: page.items.map((item) => toDomain(item, now)), nextCursor: page.nextCursor };
});
