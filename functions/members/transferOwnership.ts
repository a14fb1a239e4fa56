import { routes } from '../../shared/features/members/routes';
import { transferOwnership } from '../../shared/features/members/transfer';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.transferOwnership,
  async ({ target, membership, caller, requestId, now }) => ({
    data: await transferOwnership(membership, target, { caller, requestId, now }),
  }),
);
