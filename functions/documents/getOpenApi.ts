import openApiDocument from '../../docs/openapi.json' with { type: 'json' };
import { routes } from '../../shared/features/documents/routes';
import { createHandler } from '../../shared/http/handler';

export const handler = createHandler(routes.getOpenApi, async () => openApiDocument);
