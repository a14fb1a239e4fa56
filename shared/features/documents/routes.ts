import * as z from 'zod/mini';
import { apiBasePath } from '../../http/paths';
import type { RouteDefinition } from '../../http/route';
import { noInput } from '../../http/schemas';

export const openApiPath = '/openapi.json';

const apiInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  openapi: z.string().check(z.describe('Path of this API’s OpenAPI document')),
});

/** The API's own description. Each function imports only its own feature's routes (and schemas). */
export const routes = {
  getApiInfo: {
    operation: 'getApiInfo',
    handler: 'functions/documents/getApiInfo.ts',
    method: 'GET',
    path: apiBasePath,
    summary: 'What this API is: its name, its version and where its OpenAPI document is.',
    access: 'public',
    input: { params: noInput, query: noInput },
    response: { status: 200, kind: 'item', schema: apiInfoSchema },
    table: { actions: [] },
  },
  getOpenApi: {
    operation: 'getOpenApi',
    handler: 'functions/documents/getOpenApi.ts',
    method: 'GET',
    path: openApiPath,
    summary: 'This API’s OpenAPI 3.1 document.',
    access: 'public',
    input: { params: noInput, query: noInput },
    response: { status: 200, kind: 'document', schema: z.record(z.string(), z.unknown()) },
    table: { actions: [] },
  },
} as const satisfies Record<string, RouteDefinition>;
