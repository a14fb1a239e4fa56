import { addNumber } from '../../shared/features/numbers/add';
import { routes } from '../../shared/features/numbers/routes';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(
  routes.addPhoneNumber,
  async ({ membership, body, caller, requestId, now, header }) => ({
    data: await addNumber(
      membership,
      { ...body, idempotencyKey: header('idempotency-key') },
      { caller, requestId, now },
    ),
  }),
);
