import { toPortingRequest } from '../../shared/features/porting/items';
import { getPortingItem } from '../../shared/features/porting/list';
import { routes } from '../../shared/features/porting/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

// Read after the permission: a Member learns nothing of which requests exist (403 either way).
export const handler = createWorkspaceHandler(routes.getPortingRequest, async ({ workspaceId, params }) => ({
  data: toPortingRequest(await getPortingItem(workspaceId, params.portingRequestId)),
}));
