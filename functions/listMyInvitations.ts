import { listMyInvitations } from '../shared/domain/invitation-acceptance';
import { createHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/invitations';

export const handler = createHandler(routes.listMyInvitations, async ({ caller, query, now }) => {
  const page = await listMyInvitations(caller, query, now);
  return { data: page.items, nextCursor: page.nextCursor };
});
