import { listMyInvitations } from '../../shared/features/invitations/lookup';
import { routes } from '../../shared/features/invitations/routes';
import { createHandler } from '../../shared/http/handler';

export const handler = createHandler(routes.listMyInvitations, async ({ caller, query, now }) => {
  const page = await listMyInvitations(caller, query, now);
  return { data: page.items, nextCursor: page.nextCursor };
});
