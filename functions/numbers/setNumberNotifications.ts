import { setNotifications } from '../../shared/features/numbers/notifications';
import { routes } from '../../shared/features/numbers/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.setNumberNotifications,
  async ({ membership, phoneNumber, body, caller, requestId, now }) => ({
    data: await setNotifications(membership, phoneNumber, body, { caller, requestId, now }),
  }),
);
