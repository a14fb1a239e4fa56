import { toWorkspace } from '../shared/domain/items';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/workspaces';

export const handler = createWorkspaceHandler(routes.getWorkspace, async ({ workspace }) => ({
  data: toWorkspace(workspace),
}));
