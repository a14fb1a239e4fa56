import { AppError } from '../../shared/core/errors';
import { readClaim } from '../../shared/features/domains/claims';
import { routes } from '../../shared/features/domains/routes';
import { updateDomain } from '../../shared/features/domains/settings';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.updateDomain, {
  // An empty update is the request's own fault (400), before anything else.
  prepare: ({ body }) => {
    if (body.joinPolicy === undefined && body.includeSubdomains === undefined)
      throw new AppError('EMPTY_UPDATE');
  },
  run: async ({ workspace, params, body, caller, requestId, now }) => {
    const { claim, holder } = await readClaim(workspace.id, params.domain);
    return { data: await updateDomain(workspace, claim, holder, body, { caller, requestId, now }) };
  },
});
