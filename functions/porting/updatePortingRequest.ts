import { checkCorrection } from '../../shared/features/porting/details';
import { getPortingItem } from '../../shared/features/porting/list';
import { routes } from '../../shared/features/porting/routes';
import { updatePortingRequest } from '../../shared/features/porting/update';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.updatePortingRequest, {
  validate: ({ body, now }) => checkCorrection(body, now),
  run: async ({ membership, workspaceId, params, body, caller, requestId, now }) => {
    const item = await getPortingItem(workspaceId, params.portingRequestId);
    return { data: await updatePortingRequest(membership, item, body, { caller, requestId, now }) };
  },
});
