import { leave } from '../../shared/features/members/removal';
import { routes } from '../../shared/features/members/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.leaveWorkspace,
  async ({ membership, caller, requestId, now }) => {
    await leave(membership, { caller, requestId, now });
    return undefined;
  },
);
