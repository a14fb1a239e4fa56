import { routes } from '../../shared/features/workspaces/routes';
import { requireSomeChange, updateWorkspace } from '../../shared/features/workspaces/update';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.updateWorkspace, {
  prepare: ({ body }) => requireSomeChange(body),
  run: async ({ body, workspace, membership, caller, requestId, now }) => ({
    data: await updateWorkspace(workspace, membership, body, { caller, requestId, now }),
  }),
});
