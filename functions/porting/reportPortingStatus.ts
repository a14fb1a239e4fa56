import { checkReport, reportPortingStatus } from '../../shared/features/porting/carrier';
import { routes } from '../../shared/features/porting/routes';
import { createServiceHandler } from '../../shared/http/handler';

export const handler = createServiceHandler(
  routes.reportPortingStatus,
  async ({ params, body, caller, requestId, now }) => {
    checkReport(body);
    return {
      data: await reportPortingStatus(params.workspaceId, params.portingRequestId, body, {
        caller,
        requestId,
        now,
      }),
    };
  },
);
