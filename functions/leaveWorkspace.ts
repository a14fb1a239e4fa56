import { leave } from '../shared/domain/members';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/members';

export const handler = createWorkspaceHandler(
  routes.leaveWorkspace,
  async ({ membership, caller, requestId, now }) => {
    await leave(membership, { caller, requestId, now });
    return undefined;
  },
);
