import { clearSuppressedAddress } from '../../shared/features/suppressions/clear';
import { getSuppression } from '../../shared/features/suppressions/items';
import { routes } from '../../shared/features/suppressions/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.clearSuppressedAddress, {
  prepare: ({ workspaceId, params }) => getSuppression(workspaceId, params.email),
  run: async ({ workspace, caller, requestId, now }, suppression) => {
    await clearSuppressedAddress(workspace, suppression, { caller, requestId, now });
    return undefined;
  },
});
