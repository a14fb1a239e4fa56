import { releaseNumber } from '../../shared/features/numbers/release';
import { routes } from '../../shared/features/numbers/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.releasePhoneNumber,
  async ({ membership, phoneNumber, caller, requestId, now }) => {
    await releaseNumber(membership, phoneNumber, { caller, requestId, now });
    return undefined;
  },
);
