import { routes } from '../../shared/features/numbers/routes';
import { checkSettingsInput, updateSettings } from '../../shared/features/numbers/settings';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.updatePhoneNumber, {
  validate: ({ body }) => checkSettingsInput(body),
  run: async ({ membership, phoneNumber, body, caller, requestId, now }) => ({
    data: await updateSettings(membership, phoneNumber, body, { caller, requestId, now }),
  }),
});
