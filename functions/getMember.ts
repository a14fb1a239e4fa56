import { toMember } from '../shared/domain/items';
import { existingMember } from '../shared/domain/members';
import { createWorkspaceHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/members';

export const handler = createWorkspaceHandler(routes.getMember, async ({ target }) => ({
  data: toMember(existingMember(target)),
}));
