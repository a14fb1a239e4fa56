import { decideForUser } from '../../shared/features/numbers/internal';
import { routes } from '../../shared/features/numbers/routes';
import { createServiceHandler } from '../../shared/http/handler';

export const handler = createServiceHandler(routes.decideNumberUse, async ({ params, query }) => ({
  data: await decideForUser(params.workspaceId, params.phoneNumberId, query.userId, query.action),
}));
