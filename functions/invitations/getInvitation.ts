import { previewInvitation } from '../../shared/features/invitations/lookup';
import { routes } from '../../shared/features/invitations/routes';
import { createHandler } from '../../shared/http/handler';

export const handler = createHandler(routes.getInvitation, async ({ params, now }) => ({
  data: await previewInvitation(params.token, now),
}));
