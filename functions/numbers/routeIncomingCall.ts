import { instantOf, routeIncoming } from '../../shared/features/numbers/internal';
import { routes } from '../../shared/features/numbers/routes';
import { createServiceHandler } from '../../shared/http/handler';

export const handler = createServiceHandler(routes.routeIncomingCall, async ({ params, query, now }) => ({
  data: await routeIncoming(params.workspaceId, params.phoneNumberId, instantOf(query.at, now)),
}));
