import { previewInvitation } from '../shared/domain/invitation-acceptance';
import { createHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/invitations';

export const handler = createHandler(routes.getInvitation, async ({ params, now }) => ({
  data: await previewInvitation(params.token, now),
}));
