import { getBilling } from '../../shared/features/billing/read';
import { routes } from '../../shared/features/billing/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.getBilling, async ({ workspace, now }) => ({
  data: await getBilling(workspace, now),
}));
