import { permissionsOf } from '../../shared/access/permissions';
import { routes } from '../../shared/features/workspaces/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.getPermissions, async ({ membership, workspace }) => ({
  data: { role: membership.role, permissions: permissionsOf(membership.role, workspace.settings) },
}));
