import { claimDomain } from '../../shared/features/domains/claim';
import { claimableDomain } from '../../shared/features/domains/names';
import { routes } from '../../shared/features/domains/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.claimDomain, {
  prepare: ({ body }) => claimableDomain(body.email),
  run: async ({ workspace, caller, requestId, now }, domain) => ({
    data: await claimDomain(workspace, domain, { caller, requestId, now }),
  }),
});
