import { approveJoinRequest } from '../../shared/features/domains/join';
import { getJoinRequest } from '../../shared/features/domains/requests';
import { routes } from '../../shared/features/domains/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.approveJoinRequest,
  async ({ workspaceId, params, caller, requestId, now }) => {
    const request = await getJoinRequest(workspaceId, params.userId);
    return { data: await approveJoinRequest(request, { caller, requestId, now }) };
  },
);
