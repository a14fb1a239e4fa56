import { readClaim } from '../../shared/features/domains/claims';
import { removeDomain } from '../../shared/features/domains/remove';
import { routes } from '../../shared/features/domains/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.removeDomain,
  async ({ workspace, params, caller, requestId, now }) => {
    const { claim, holder } = await readClaim(workspace.id, params.domain);
    await removeDomain(workspace, claim, holder, { caller, requestId, now });
    return undefined;
  },
);
