import { joinableWorkspaces } from '../../shared/features/domains/joinable';
import { routes } from '../../shared/features/domains/routes';
import { createHandler } from '../../shared/http/handler';

export const handler = createHandler(routes.listJoinableWorkspaces, async ({ caller }) => ({
  data: await joinableWorkspaces(caller),
  nextCursor: null,
}));
