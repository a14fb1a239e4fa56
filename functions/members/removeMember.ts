import {
  checkRemovalInput,
  findRemoval,
  finishRemoval,
  removeMember,
} from '../../shared/features/members/removal';
import { routes } from '../../shared/features/members/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.removeMember, {
  validate: ({ params, query }) =>
    checkRemovalInput(params.userId, {
      reassignNumbersTo: query.reassignNumbersTo,
      unassignNumbers: query.unassignNumbers === 'true',
    }),
  // The member (404 before the permission's 403), or their removal that stopped midway.
  prepare: ({ workspaceId, params }) => findRemoval(workspaceId, params.userId),
  run: async ({ query, membership, caller, requestId, now, header }, found) => {
    if ('unfinished' in found) {
      await finishRemoval(found.unfinished, { caller, requestId, now });
      return undefined;
    }
    await removeMember(
      membership,
      found.target,
      {
        reassignNumbersTo: query.reassignNumbersTo,
        unassignNumbers: query.unassignNumbers === 'true',
        hideHistory: query.hideHistory === 'true',
        clientPlatform: header('x-client-platform'),
      },
      { caller, requestId, now },
    );
    return undefined;
  },
});
