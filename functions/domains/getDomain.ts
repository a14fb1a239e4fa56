import { readClaim } from '../../shared/features/domains/claims';
import { toDomain } from '../../shared/features/domains/items';
import { routes } from '../../shared/features/domains/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

// A claim is read after the permission: a Member learns nothing of which domains are claimed (403 either way).
export const handler = createWorkspaceHandler(routes.getDomain, async ({ workspaceId, params, now }) => {
  const { claim } = await readClaim(workspaceId, params.domain);
  return { data: toDomain(claim, now) };
});
