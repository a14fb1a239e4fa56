import { apiTitle, apiVersion } from '../../shared/core/service';
import { openApiPath, routes } from '../../shared/features/documents/routes';
import { createHandler } from '../../shared/http/handler';

export const handler = createHandler(routes.getApiInfo, async () => ({
  data: { name: apiTitle, version: apiVersion, openapi: openApiPath },
}));
