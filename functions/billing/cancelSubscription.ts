import { cancelSubscription } from '../../shared/features/billing/plan';
import { routes } from '../../shared/features/billing/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.cancelSubscription,
  async ({ membership, workspace, caller, requestId, now }) => ({
    data: await cancelSubscription(membership, workspace, { caller, requestId, now }),
  }),
);
