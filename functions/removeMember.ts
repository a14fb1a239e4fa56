import { existingMember, removeMember } from '../shared/domain/members';
import { AppError } from '../shared/http/errors';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/members';

export const handler = createWorkspaceHandler(
  routes.removeMember,
  async ({ target, query, membership, caller, requestId, now, header }) => {
    if (header('x-client-platform')?.toLowerCase() === 'mobile') throw new AppError('MOBILE_NOT_ALLOWED');
    await removeMember(membership, existingMember(target), query.reassignNumbersTo, {
      caller,
      requestId,
      now,
    });
    return undefined;
  },
);
