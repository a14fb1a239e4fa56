import { setRingOrder } from '../../shared/features/numbers/ring-order';
import { routes } from '../../shared/features/numbers/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.setRingOrder,
  async ({ membership, workspace, phoneNumber, body, caller, requestId, now }) => ({
    data: await setRingOrder(membership, workspace, phoneNumber, body, { caller, requestId, now }),
  }),
);
