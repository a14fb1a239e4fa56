import { toWorkspace } from '../../shared/features/workspaces/items';
import { routes } from '../../shared/features/workspaces/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.getWorkspace, async ({ workspace }) => ({
  data: toWorkspace(workspace),
}));
