import * as z from 'zod/mini';
import type { RouteDefinition } from '../http/route';
import { noInput } from '../schemas/common';

/** The API’s own description. Each function imports only its own feature's routes (and schemas). */
export const routes = {
  getOpenApi: {
    operation: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API’s OpenAPI 3.1 document.',
    access: 'public',
    input: { params: noInput, query: noInput },
    response: { status: 200, kind: 'document', schema: z.record(z.string(), z.unknown()) },
    table: { actions: [] },
  },
} as const satisfies Record<string, RouteDefinition>;
