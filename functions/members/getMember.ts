import { toMember } from '../../shared/features/members/items';
import { routes } from '../../shared/features/members/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.getMember, async ({ target }) => ({
  data: toMember(target),
}));
