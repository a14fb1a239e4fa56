import { revokeAccess } from '../../shared/features/numbers/access';
import { routes } from '../../shared/features/numbers/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.revokeNumberAccess,
  async ({ membership, target, phoneNumber, caller, requestId, now }) => {
    await revokeAccess(membership, target, phoneNumber, { caller, requestId, now });
    return undefined;
  },
);
