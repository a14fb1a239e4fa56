import { acceptInvitation } from '../shared/domain/invitation-acceptance';
import { createHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/invitations';

export const handler = createHandler(routes.acceptInvitation, async ({ body, caller, requestId, now }) => ({
  data: await acceptInvitation(body, { caller, requestId, now }),
}));
