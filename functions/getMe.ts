import { allMyWorkspaces } from '../shared/domain/workspaces';
import { createHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/workspaces';

export const handler = createHandler(routes.getMe, async ({ caller }) => {
  const workspaces = await allMyWorkspaces(caller.userId);
  return {
    data: {
      userId: caller.userId,
      email: caller.email,
      emailVerified: caller.emailVerified,
      name: caller.name,
      workspaces: workspaces.map(({ id, name, role }) => ({ id, name, role })),
    },
  };
});
