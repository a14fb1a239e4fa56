import { createWorkspace } from '../../shared/features/workspaces/create';
import { routes } from '../../shared/features/workspaces/routes';
import { createHandler } from '../../shared/http/handler';

export const handler = createHandler(
  routes.createWorkspace,
  async ({ body, caller, requestId, now, header }) => ({
    data: await createWorkspace(
      { name: body.name, plan: body.plan, idempotencyKey: header('idempotency-key') },
      { caller, requestId, now },
    ),
  }),
);
