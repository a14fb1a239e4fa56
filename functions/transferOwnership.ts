import { existingMember, transferOwnership } from '../shared/domain/members';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/members';

export const handler = createWorkspaceHandler(
  routes.transferOwnership,
  async ({ target, membership, caller, requestId, now }) => ({
    data: await transferOwnership(membership, existingMember(target), { caller, requestId, now }),
  }),
);
