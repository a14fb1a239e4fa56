import { checkDetails } from '../../shared/features/porting/details';
import { routes } from '../../shared/features/porting/routes';
import { submitPortingRequest } from '../../shared/features/porting/submit';
import { createWorkspaceHandler } from '../../shared/http/handler';

export const handler = createWorkspaceHandler(routes.submitPortingRequest, {
  validate: ({ body, now }) => checkDetails(body, now),
  run: async ({ membership, body, header, caller, requestId, now }) => ({
    data: await submitPortingRequest(membership, body, header('idempotency-key'), { caller, requestId, now }),
  }),
});
