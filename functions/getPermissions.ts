import { createWorkspaceHandler } from '../shared/http/handler';
import { permissionsOf } from '../shared/permissions';
import { routes } from '../shared/routes/workspaces';

export const handler = createWorkspaceHandler(routes.getPermissions, async ({ membership, workspace }) => ({
  data: { role: membership.role, permissions: permissionsOf(membership.role, workspace.settings) },
}));
