import { previewChange } from '../../shared/features/billing/preview';
import { routes } from '../../shared/features/billing/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.previewBilling, async ({ workspace, body, now }) => ({
  data: await previewChange(workspace, body, now),
}));
