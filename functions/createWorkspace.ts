import { createWorkspace } from '../shared/domain/workspaces';
import { createHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/workspaces';

export const handler = createHandler(
  routes.createWorkspace,
  async ({ body, caller, requestId, now, header }) => {
    const workspace = await createWorkspace(
      { name: body.name, plan: body.plan, idempotencyKey: header('idempotency-key') },
      { caller, requestId, now },
    );
    return { data: workspace };
  },
);
