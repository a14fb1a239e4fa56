import openApiDocument from '../docs/openapi.json' with { type: 'json' };
import { createHandler } from '../shared/http/handler';
import { routes } from '../shared/routes/documents';

export const handler = createHandler(routes.getOpenApi, async () => openApiDocument);
