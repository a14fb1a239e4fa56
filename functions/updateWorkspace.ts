import { updateWorkspace } from '../shared/domain/workspaces';
import { AppError } from '../shared/http/errors';
import { createWorkspaceHandler } from '../shared/http/handler';
import { enforce } from '../shared/permissions';
import { routes } from '../shared/routes/workspaces';

export const handler = createWorkspaceHandler(
  routes.updateWorkspace,
  async ({ body, workspace, membership, caller, requestId, now }) => {
    if (body.name === undefined && (body.settings === undefined || Object.keys(body.settings).length === 0)) {
      throw new AppError('EMPTY_UPDATE', 'Send a new name, settings, or both.');
    }
    enforce({ kind: 'settingsChange', actorRole: membership.role, changes: body.settings ?? {} });
    const updated = await updateWorkspace(workspace, membership.role, body, { caller, requestId, now });
    return { data: updated };
  },
);
