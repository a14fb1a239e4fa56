import { decideNumberUse } from '../../shared/access/numbers';
import { routes } from '../../shared/features/numbers/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

// The caller's membership, the workspace and the number came in the handler's one read.
export const handler = createWorkspaceHandler(
  routes.canUsePhoneNumber,
  async ({ membership, workspace, phoneNumber, query }) => ({
    data: decideNumberUse(workspace, membership, phoneNumber, query.action),
  }),
);
