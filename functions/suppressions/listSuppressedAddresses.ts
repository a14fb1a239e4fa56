import { listSuppressedAddresses } from '../../shared/features/suppressions/list';
import { routes } from '../../shared/features/suppressions/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.listSuppressedAddresses,
  async ({ workspaceId, query }) => {
    const page = await listSuppressedAddresses(workspaceId, query);
    return { data: page.items, nextCursor: page.nextCursor };
  },
);
