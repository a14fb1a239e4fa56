import { readForCarrier } from '../../shared/features/porting/pin-read';
import { routes } from '../../shared/features/porting/routes';
import { createServiceHandler } from '../../shared/http/handler';

export const handler = createServiceHandler(
  routes.readPortingRequestForCarrier,
  async ({ params, caller, requestId, now }) => ({
    data: await readForCarrier(params.workspaceId, params.portingRequestId, { caller, requestId, now }),
  }),
);
