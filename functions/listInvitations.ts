import { listInvitations } from '../shared/domain/invitation-management';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/invitations';

export const handler = createWorkspaceHandler(routes.listInvitations, async ({ membership, query, now }) => {
  const page = await listInvitations(membership, { status: query.status }, query, now);
  return { data: page.items, nextCursor: page.nextCursor };
});
