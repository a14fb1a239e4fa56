import { readClaim } from '../../shared/features/domains/claims';
import { routes } from '../../shared/features/domains/routes';
import { verifyDomain } from '../../shared/features/domains/verify';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.verifyDomain,
  async ({ workspaceId, params, caller, requestId, now }) => {
    const { claim, holder } = await readClaim(workspaceId, params.domain);
    return { data: await verifyDomain(claim, holder, { caller, requestId, now }) };
  },
);
