import { getMemberItem, removeMember } from '../shared/domain/members';
import { AppError } from '../shared/http/errors';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes';

export const handler = createWorkspaceHandler(
  routes.removeMember,
  async ({ workspaceId, params, query, membership, caller, requestId, now, header }) => {
    if (header('x-client-platform')?.toLowerCase() === 'mobile') throw new AppError('MOBILE_NOT_ALLOWED');
    const target =
      params.userId === membership.userId ? membership : await getMemberItem(workspaceId, params.userId);
    await removeMember(membership, target, query.reassignNumbersTo, { caller, requestId, now });
    return undefined;
  },
);
