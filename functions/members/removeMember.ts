import { removeMember } from '../../shared/features/members/removal';
import { routes } from '../../shared/features/members/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.removeMember,
  async ({ target, query, membership, caller, requestId, now, header }) => {
    await removeMember(
      membership,
      target,
      { reassignNumbersTo: query.reassignNumbersTo, clientPlatform: header('x-client-platform') },
      { caller, requestId, now },
    );
    return undefined;
  },
);
