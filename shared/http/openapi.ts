import * as z from 'zod/mini';
import { apiTitle, apiVersion } from '../core/service';
import { maxIdLength } from '../core/text';
import { isWorkspaceScoped, type ObjectSchema, type RouteDefinition, routePermission } from './route';
import { errorSchema, itemEnvelope, listEnvelope } from './schemas';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

const jsonSchema = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io }) as JsonSchema;
  return rest;
};

function parameters(schema: ObjectSchema, location: 'path' | 'query') {
  const { properties = {}, required = [] } = jsonSchema(schema, 'input');
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.includes(name),
    schema: property,
  }));
}

function responseSchema(route: RouteDefinition): JsonSchema | undefined {
  const { response } = route;
  if (response.kind === 'empty') return undefined;
  if (response.kind === 'item') return jsonSchema(itemEnvelope(response.schema), 'output');
  if (response.kind === 'list') return jsonSchema(listEnvelope(response.schema), 'output');
  return jsonSchema(response.schema, 'output');
}

/** Error statuses a route can answer with, besides 400 and 500 which all can. */
function errorStatuses(route: RouteDefinition): number[] {
  const statuses = new Set<number>([400, 500]);
  if (route.access !== 'public') statuses.add(401);
  if (isWorkspaceScoped(route)) statuses.add(404);
  if (routePermission(route)) statuses.add(403);
  if (route.input.body) {
    statuses.add(413);
    statuses.add(415);
  }
  if (route.method !== 'GET') statuses.add(409);
  for (const status of route.alsoFailsWith ?? []) statuses.add(status);
  return [...statuses].sort();
}

const statusDescriptions: Record<number, string> = {
  400: 'Malformed JSON, a schema violation or a bad cursor; `errors` lists each field.',
  401: 'No token, or an invalid or expired one.',
  403: 'Signed in, but the role, a workspace setting or an unverified email does not allow it.',
  404: 'Not found, or under a workspace the caller is not a member of.',
  409: 'Conflicts with the current state; `code` says which (for example LAST_OWNER).',
  410: 'The invitation has expired.',
  413: 'The request body is too large.',
  415: 'The request body is not JSON.',
  429: 'Rate limited; `Retry-After` says in how many seconds to try again.',
  500: 'A fault on the server side; the message is generic.',
  503: 'A dependency is unavailable; `Retry-After` says in how many seconds to try again.',
};

const retryAfterHeader = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 1 },
  },
};

/** The OpenAPI 3.1 document of the API, generated from the route table. */
export function buildOpenApiDocument(routes: RouteDefinition[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const success = responseSchema(route);
    const responses: Record<string, unknown> = {
      [route.response.status]: success
        ? { description: 'Success', content: { 'application/json': { schema: success } } }
        : { description: 'Done; no content' },
    };
    if (route.response.kind === 'item' && route.response.accepted) {
      const { accepted } = route.response;
      responses[202] = {
        description: accepted.description,
        content: { 'application/json': { schema: jsonSchema(itemEnvelope(accepted.schema), 'output') } },
      };
    }
    for (const status of errorStatuses(route)) {
      responses[status] = {
        description: statusDescriptions[status] ?? 'Error',
        ...(status === 429 || status === 503 ? { headers: retryAfterHeader } : {}),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    paths[route.path] ??= {};
    const operation = paths[route.path] as Record<string, unknown>;
    operation[route.method.toLowerCase()] = {
      operationId: route.operation,
      summary: route.summary,
      'x-permission': route.access,
      security:
        route.access === 'public' ? [] : route.access === 'service' ? [{ sigv4: [] }] : [{ bearerAuth: [] }],
      parameters: [
        ...parameters(route.input.params, 'path'),
        ...parameters(route.input.query, 'query'),
        ...Object.entries(route.headers ?? {}).map(([name, description]) => ({
          name,
          in: 'header',
          required: false,
          description,
          schema: { type: 'string', maxLength: maxIdLength },
        })),
        ...(route.idempotent
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                schema: { type: 'string', maxLength: maxIdLength },
              },
            ]
          : []),
      ],
      ...(route.input.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.input.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: apiTitle,
      version: apiVersion,
      description:
        'Team management for a business phone service: workspaces, members, roles, permissions, invitations, audit.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [
      {
        url: '{apiUrl}',
        description: 'The ApiUrl output of a deployed stack, or the local server of npm start',
        variables: { apiUrl: { default: 'http://127.0.0.1:3000' } },
      },
    ],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        // The internal routes: IAM-authorized in AWS (an AWS Signature Version 4 Authorization header).
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            'AWS Signature Version 4, by a role named in the stack’s InternalCallerRoleArns (locally: Bearer and the telephony dev token).',
        },
      },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
    paths,
  };
}
