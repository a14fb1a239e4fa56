import { joinWorkspace } from '../../shared/features/domains/join';
import { routes } from '../../shared/features/domains/routes';
import { createHandler } from '../../shared/http/handler';

export const handler = createHandler(routes.joinWorkspace, async ({ params, caller, requestId, now }) => {
  const outcome = await joinWorkspace(params.workspaceId, { caller, requestId, now });
  return 'joined' in outcome ? { data: outcome.joined } : { accepted: { data: outcome.requested } };
});
