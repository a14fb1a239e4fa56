import { allMyWorkspaces } from '../../shared/features/workspaces/mine';
import { routes } from '../../shared/features/workspaces/routes';
import { createHandler } from '../../shared/http/handler';

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
