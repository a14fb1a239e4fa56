import { routes } from '../../shared/features/numbers/routes';
import { updateSettings } from '../../shared/features/numbers/settings';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.updatePhoneNumber,
  async ({ membership, phoneNumber, body, caller, requestId, now }) => ({
    data: await updateSettings(membership, phoneNumber, body, { caller, requestId, now }),
  }),
);
