import { acceptInvitation } from '../../shared/features/invitations/accept';
import { routes } from '../../shared/features/invitations/routes';
import { createHandler } from '../../shared/http/handler';

export const handler = createHandler(routes.acceptInvitation, async ({ body, caller, requestId, now }) => ({
  data: await acceptInvitation(body, { caller, requestId, now }),
}));
