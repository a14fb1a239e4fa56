import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { renderGeneratedDocs } from '../../scripts/docs-content';
import { dependsOnSettings, isPermission, type Permission } from '../../shared/access/permissions';
import { tableDefinition } from '../../shared/db/table';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import {
  featureOf,
  isWorkspaceScoped,
  type RouteDefinition,
  type TableAction,
  tableActionsFor,
  updatesOnlyActivity,
} from '../../shared/http/route';
import { routeList, routes } from '../../shared/routes';
import { workerList } from '../../shared/workers';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const functionsDir = `${repoRoot}functions`;

const routeLabel = (route: RouteDefinition) => `${route.method} ${route.path}`;

const readActions: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query'];
const writeActions: readonly TableAction[] = ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'];
const indexNames: readonly string[] = tableDefinition.globalSecondaryIndexes.map((index) => index.indexName);

const isAPermission = (access: unknown): access is Permission =>
  typeof access === 'string' && isPermission(access);

const isZodSchema = (value: unknown): value is z.ZodMiniType =>
  typeof value === 'object' && value !== null && '_zod' in value;

const isZodObject = (value: unknown): value is z.ZodMiniObject =>
  isZodSchema(value) && value._zod.def.type === 'object';

/** The `{name}` segments of a path. */
const pathParameters = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);

/**
 * The checks every route of the table must pass, each returning the problems
 * it found (none when the route is right). They take any object, so a test can
 * hand them a deliberately broken route and see them catch it.
 */
const routeChecks: Record<string, (route: RouteDefinition) => string[]> = {
  'has an access rule': (route) =>
    ['public', 'signedIn', 'member', 'service'].includes(route.access) || isAPermission(route.access)
      ? []
      : [`access ${JSON.stringify(route.access)} is not public, signedIn, member, service or a permission`],

  'is internal exactly when its path is under /internal': (route) =>
    route.path.startsWith('/internal/') === (route.access === 'service')
      ? []
      : [
          `access ${route.access} and path ${route.path}: internal routes are the service's, under /internal/`,
        ],

  'reads the number of its path when it names one (except internal routes)': (route) =>
    route.access === 'service' ||
    pathParameters(route.path).includes('phoneNumberId') === (route.phoneNumber !== undefined)
      ? []
      : [
          'a route with {phoneNumberId} sets phoneNumber (what the caller needs on it), and only such a route',
        ],

  'declares a params schema with exactly its path parameters': (route) => {
    const params = route.input?.params;
    if (!isZodObject(params)) return ['input.params is not an object schema'];
    const declared = Object.keys(params.shape).sort();
    const inPath = pathParameters(route.path).sort();
    return JSON.stringify(declared) === JSON.stringify(inPath)
      ? []
      : [`input.params declares ${JSON.stringify(declared)}, the path has ${JSON.stringify(inPath)}`];
  },

  'takes the workspace from the path when workspace-scoped': (route) =>
    !isWorkspaceScoped(route) || pathParameters(route.path).includes('workspaceId')
      ? []
      : [`access ${route.access} needs {workspaceId} in the path`],

  'declares a query schema that refuses unknown parameters': (route) => {
    const query = route.input?.query;
    if (!isZodObject(query)) return ['input.query is not an object schema'];
    return query.safeParse({ notAParameter: 'x' }).success ? ['input.query accepts unknown parameters'] : [];
  },

  'names its handler file in its feature folder': (route) =>
    /^functions\/[a-z]+\/[a-zA-Z]+\.ts$/.test(route.handler ?? '') &&
    route.handler.endsWith(`/${route.operation}.ts`)
      ? []
      : [`handler ${JSON.stringify(route.handler)} is not functions/<feature>/${route.operation}.ts`],

  'has a body schema when its method carries a body, and none when it cannot': (route) => {
    const body = route.input?.body;
    if (body !== undefined && !isZodSchema(body)) return ['input.body is not a schema'];
    if ((route.method === 'PUT' || route.method === 'PATCH') && body === undefined)
      return [`${route.method} has no input.body schema`];
    if ((route.method === 'GET' || route.method === 'DELETE') && body !== undefined)
      return [`${route.method} must not declare a body`];
    return [];
  },

  'has a response schema and status': (route) => {
    const response = route.response;
    if (!response) return ['no response'];
    if (response.kind === 'empty') {
      return response.status === 204 && response.schema === null
        ? []
        : ['an empty response must be 204 with schema null'];
    }
    const problems: string[] = [];
    if (!['item', 'list', 'document'].includes(response.kind))
      problems.push(`response kind ${response.kind}`);
    if (!isZodSchema(response.schema)) problems.push('response.schema is not a schema');
    if (![200, 201].includes(response.status)) problems.push(`status ${response.status} with a body`);
    if (route.method === 'GET' && response.status !== 200) problems.push('a GET answers 200');
    return problems;
  },

  'pages a list with limit and after': (route) => {
    if (route.response?.kind !== 'list' || route.response.whole) return [];
    const query = route.input?.query;
    const keys = isZodObject(query) ? Object.keys(query.shape) : [];
    return ['limit', 'after'].filter((key) => !keys.includes(key)).map((key) => `list without ${key}`);
  },

  'loads the workspace when its permission depends on the settings, and only under a workspace': (route) => {
    if (isAPermission(route.access) && dependsOnSettings(route.access) && route.loadsWorkspace !== true)
      return [`${route.access} depends on the workspace settings: set loadsWorkspace`];
    if (route.loadsWorkspace && !isWorkspaceScoped(route))
      return ['loadsWorkspace on a route that is not workspace-scoped'];
    return [];
  },

  'declares the least table actions': (route) => {
    const actions = route.table?.actions;
    if (!Array.isArray(actions)) return ['no table.actions'];
    const problems: string[] = [];
    if (new Set(actions).size !== actions.length) problems.push('duplicate table actions');
    if (route.method === 'GET') {
      // A read it audits may Put its event, and write nothing else.
      const writes = actions.filter(
        (action) => !readActions.includes(action) && !(route.auditsReads && action === 'PutItem'),
      );
      if (writes.length) problems.push(`a GET declares write actions ${writes.join(', ')}`);
    }
    if (route.response?.kind === 'list' && !route.response.whole && !actions.includes('Query'))
      problems.push('a list without Query');
    if (
      actions.includes('ConditionCheckItem') &&
      !actions.some((action) => writeActions.includes(action) && action !== 'ConditionCheckItem')
    )
      problems.push('ConditionCheckItem only works inside a write transaction');
    const indexes = route.table.indexes ?? [];
    if (indexes.length && !actions.includes('Query')) problems.push('indexes without Query');
    for (const index of indexes) if (!indexNames.includes(index)) problems.push(`no index ${index}`);
    return problems;
  },
};

const checkNames = Object.keys(routeChecks);
const problemsOf = (route: RouteDefinition) =>
  Object.entries(routeChecks).flatMap(([name, check]) =>
    check(route).map((problem) => `${name}: ${problem}`),
  );

describe.each(routeList)('route $operation ($method $path)', (route) => {
  it.each(checkNames)('%s', (name) => {
    expect(routeChecks[name]?.(route)).toEqual([]);
  });
});

it.each(routeList.filter((route) => route.method === 'GET'))(
  '$operation: its function may write nothing but the lastActiveAt update of a workspace-scoped route',
  (route) => {
    const writes = tableActionsFor(route).filter((action) => writeActions.includes(action));
    expect(writes).toEqual(route.auditsReads ? ['PutItem'] : []);
    // That update is its own grant, limited to the one attribute.
    expect(updatesOnlyActivity(route)).toBe(isWorkspaceScoped(route));
  },
);

describe('the route checks catch a broken route', () => {
  const sound = {
    operation: 'renameThing',
    handler: 'functions/things/renameThing.ts',
    method: 'PATCH',
    path: '/v1/workspaces/{workspaceId}/things/{thingId}',
    summary: 'A route made up for this test.',
    access: 'billing.manage',
    loadsWorkspace: true,
    input: {
      params: z.strictObject({ workspaceId: z.string(), thingId: z.string() }),
      query: z.strictObject({}),
      body: z.strictObject({ name: z.string() }),
    },
    response: { status: 200, kind: 'item', schema: z.object({ name: z.string() }) },
    table: { actions: ['UpdateItem'] },
  } satisfies RouteDefinition;
  const broken = (change: Record<string, unknown>) => ({ ...sound, ...change }) as unknown as RouteDefinition;

  it('passes a sound route', () => {
    expect(problemsOf(sound)).toEqual([]);
  });

  it.each([
    {
      flaw: 'no permission',
      route: broken({ access: undefined }),
      problems: [
        'has an access rule: access undefined is not public, signedIn, member, service or a permission',
      ],
    },
    {
      flaw: 'an unknown permission',
      route: broken({ access: 'things.rename' }),
      problems: [
        'has an access rule: access "things.rename" is not public, signedIn, member, service or a permission',
      ],
    },
    {
      flaw: 'no input schema',
      route: broken({ input: undefined }),
      problems: [
        'declares a params schema with exactly its path parameters: input.params is not an object schema',
        'declares a query schema that refuses unknown parameters: input.query is not an object schema',
        'has a body schema when its method carries a body, and none when it cannot: PATCH has no input.body schema',
      ],
    },
    {
      flaw: 'no body schema',
      route: broken({ input: { ...sound.input, body: undefined } }),
      problems: [
        'has a body schema when its method carries a body, and none when it cannot: PATCH has no input.body schema',
      ],
    },
    {
      flaw: 'a body that is not a schema',
      route: broken({ input: { ...sound.input, body: { name: 'string' } } }),
      problems: [
        'has a body schema when its method carries a body, and none when it cannot: input.body is not a schema',
      ],
    },
    {
      flaw: 'a params schema missing a path parameter',
      route: broken({ input: { ...sound.input, params: z.strictObject({ workspaceId: z.string() }) } }),
      problems: [
        'declares a params schema with exactly its path parameters: input.params declares ["workspaceId"], the path has ["thingId","workspaceId"]',
      ],
    },
    {
      flaw: 'no response schema',
      route: broken({ response: { status: 200, kind: 'item' } }),
      problems: ['has a response schema and status: response.schema is not a schema'],
    },
    {
      flaw: 'no response',
      route: broken({ response: undefined }),
      problems: ['has a response schema and status: no response'],
    },
    {
      flaw: 'a 204 with a body',
      route: broken({ response: { status: 204, kind: 'empty', schema: z.object({}) } }),
      problems: ['has a response schema and status: an empty response must be 204 with schema null'],
    },
    {
      flaw: 'a settings-dependent permission without loadsWorkspace',
      route: broken({ loadsWorkspace: undefined }),
      problems: [
        'loads the workspace when its permission depends on the settings, and only under a workspace: billing.manage depends on the workspace settings: set loadsWorkspace',
      ],
    },
    {
      flaw: 'a read that writes',
      route: broken({ method: 'GET', input: { ...sound.input, body: undefined } }),
      problems: ['declares the least table actions: a GET declares write actions UpdateItem'],
    },
    {
      flaw: 'a query that ignores unknown parameters',
      route: broken({ input: { ...sound.input, query: z.object({}) } }),
      problems: [
        'declares a query schema that refuses unknown parameters: input.query accepts unknown parameters',
      ],
    },
    {
      flaw: 'a handler outside its feature folder',
      route: broken({ handler: 'functions/renameThing.ts' }),
      problems: [
        'names its handler file in its feature folder: handler "functions/renameThing.ts" is not functions/<feature>/renameThing.ts',
      ],
    },
    {
      flaw: 'an unknown index',
      route: broken({ table: { actions: ['Query'], indexes: ['GSI9'] } }),
      problems: ['declares the least table actions: no index GSI9'],
    },
  ])('$flaw', ({ route, problems }) => {
    expect(problemsOf(route)).toEqual(problems);
  });
});

describe('the route table', () => {
  it('names each route by its operation', () => {
    for (const [name, route] of Object.entries(routes)) expect(route.operation).toBe(name);
  });

  it('has unique operations', () => {
    const operations = routeList.map((route) => route.operation);
    expect(operations.filter((operation, index) => operations.indexOf(operation) !== index)).toEqual([]);
  });

  it('has unique method and path pairs, whatever the path parameters are called', () => {
    const keys = routeList.map((route) => `${route.method} ${route.path.replace(/\{\w+\}/g, '{}')}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
  });
});

describe('functions/', () => {
  const handlerFiles = readdirSync(functionsDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `functions/${file}`);

  it.each(routeList)('$operation: its handler file exists and serves this route ($method $path)', (route) => {
    const { operation } = route;
    const file = `${repoRoot}${route.handler}`;
    expect(existsSync(file), `${route.handler} is missing`).toBe(true);
    const source = readFileSync(file, 'utf8');
    expect(source).toMatch(/export const handler\b/);
    const used = [...source.matchAll(/\broutes\.(\w+)/g)].map((match) => match[1]);
    expect(new Set(used)).toEqual(new Set([operation]));
    // It reads its own feature's routes module only, so it bundles only that feature's schemas.
    expect(source).toContain(`from '../../shared/features/${featureOf(route)}/routes'`);
    // A workspace-scoped route is only authorized inside createWorkspaceHandler.
    if (isWorkspaceScoped(route)) {
      expect(source).toMatch(new RegExp(`createWorkspaceHandler\\(\\s*routes\\.${operation}\\b`));
    }
    // An internal route takes the telephony side's signed requests only.
    if (route.access === 'service') {
      expect(source).toMatch(new RegExp(`createServiceHandler\\(\\s*routes\\.${operation}\\b`));
    }
  });

  it.each(workerList)('$name: its handler file exists, exports the handler, and is no route', (worker) => {
    const file = `${repoRoot}${worker.handler}`;
    expect(existsSync(file), `${worker.handler} is missing`).toBe(true);
    const source = readFileSync(file, 'utf8');
    expect(source).toMatch(/export const handler\b/);
    expect(source).not.toMatch(/createHandler|createWorkspaceHandler/);
    expect(routeList.some((route) => route.handler === worker.handler)).toBe(false);
  });

  it('has no file without a route or a worker', () => {
    const handlers = [
      ...routeList.map((route) => route.handler),
      ...workerList.map((worker) => worker.handler),
    ];
    expect(handlerFiles.filter((file) => !handlers.includes(file))).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(routeList);
  const operationOf = (route: RouteDefinition) =>
    document.paths[route.path]?.[route.method.toLowerCase()] as Record<string, unknown> | undefined;

  it.each(routeList)('documents $operation as $method $path', (route) => {
    const operation = operationOf(route);
    expect(operation, `${routeLabel(route)} is not in the document`).toBeDefined();
    expect(operation?.operationId).toBe(route.operation);
    expect(operation?.['x-permission']).toBe(route.access);
    expect(operation?.security).toEqual(
      route.access === 'public' ? [] : route.access === 'service' ? [{ sigv4: [] }] : [{ bearerAuth: [] }],
    );
    expect(Object.keys(operation?.responses as object)).toContain(String(route.response.status));
    if (isAPermission(route.access)) expect(Object.keys(operation?.responses as object)).toContain('403');
    expect(operation?.requestBody !== undefined).toBe(route.input.body !== undefined);
    const pathNames = ((operation?.parameters ?? []) as { name: string; in: string }[])
      .filter((parameter) => parameter.in === 'path')
      .map((parameter) => parameter.name);
    expect(pathNames.sort()).toEqual(pathParameters(route.path).sort());
  });

  it('has one operation per deployed route and nothing else', () => {
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routeList.map(routeLabel).sort());
  });

  it('defines the schemes the security requirements name: bearer JWTs, and SigV4 for the internal routes', () => {
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      sigv4: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }),
    });
  });
});

describe('generated docs', () => {
  const biome = `${repoRoot}node_modules/.bin/biome`;
  /** Biome formats Markdown, so `npm run format` rewrites the generated page; compare formatted. */
  const formatMarkdown = (path: string, content: string) =>
    execFileSync(biome, ['format', `--stdin-file-path=${path}`], { input: content, encoding: 'utf8' });

  it.each(Object.entries(renderGeneratedDocs()))('%s is up to date', (path, rendered) => {
    const onDisk = readFileSync(`${repoRoot}${path}`, 'utf8');
    const message = `${path} is out of date: run npm run docs`;
    if (path.endsWith('.md')) {
      expect(formatMarkdown(path, onDisk), message).toBe(formatMarkdown(path, rendered));
    } else {
      expect(onDisk, message).toBe(rendered);
    }
  });

  it('renders every generated document', () => {
    expect(Object.keys(renderGeneratedDocs()).sort()).toEqual([
      'docs/openapi.json',
      'docs/permissions.md',
      'docs/routes.md',
    ]);
  });
});
