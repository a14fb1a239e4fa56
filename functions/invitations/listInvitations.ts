import { listInvitations } from '../../shared/features/invitations/list';
import { routes } from '../../shared/features/invitations/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.listInvitations, async ({ membership, query, now }) => {
  const page = await listInvitations(membership, { status: query.status }, query, now);
  return { data: page.items, nextCursor: page.nextCursor };
});
