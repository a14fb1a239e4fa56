import { changePlan } from '../../shared/features/billing/plan';
import { routes } from '../../shared/features/billing/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.changePlan,
  async ({ membership, workspace, body, caller, requestId, now }) => ({
    data: await changePlan(membership, workspace, body.plan, { caller, requestId, now }),
  }),
);
