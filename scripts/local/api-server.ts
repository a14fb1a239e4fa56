import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { AppError } from '../../shared/core/errors';
import { maxIdLength, maxNameLength } from '../../shared/core/text';
import { corsAllowedHeaders, corsAllowedMethods, corsMaxAgeSeconds } from '../../shared/http/cors';
import type { ApiEvent } from '../../shared/http/handler';
import { type ApiResult, errorBody, errorHeaders } from '../../shared/http/responses';
import { isInternal, type RouteDefinition } from '../../shared/http/route';
import { parseInput } from '../../shared/http/validation';
import { routeList } from '../../shared/routes';
import type { LocalDomainChecks } from './domain-checks';
import type { LocalJobs } from './jobs';
import { asRoute, enforceFunctionPermissions } from './local-iam';
import { iamAuthorizerContext } from './service-identity';
import type { TokenIssuer } from './token-issuer';

type Handler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

const repoRoot = new URL('../../', import.meta.url);

interface MountedRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameterNames: string[];
  handler: Handler;
}

// API Gateway's own limit on an HTTP API request body.
const gatewayMaxBodyBytes = 10 * 1024 * 1024;

const devTokenBody = z.union([
  z.strictObject({
    email: z.email(),
    sub: z.optional(z.string().check(z.minLength(1), z.maxLength(maxIdLength))),
    name: z.optional(z.string().check(z.maxLength(maxNameLength))),
    emailVerified: z.optional(z.boolean()),
  }),
  z.strictObject({ service: z.literal('telephony') }),
]);

function compile(path: string): { pattern: RegExp; parameterNames: string[] } {
  const parameterNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\w+)\}$/.exec(segment);
      if (!parameter?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameterNames.push(parameter[1]);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), parameterNames };
}

/** Loads every route's handler, from the file its route names: the very modules Lambda runs. */
async function mountRoutes(): Promise<MountedRoute[]> {
  return Promise.all(
    routeList.map(async (route) => {
      const module = (await import(new URL(route.handler, repoRoot).href)) as { handler: Handler };
      return { route, ...compile(route.path), handler: module.handler };
    }),
  );
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > gatewayMaxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

// Locally any web app may call the API (in AWS, the corsOrigins setting decides).
const corsHeaders = { 'access-control-allow-origin': '*' };
const preflightHeaders = {
  ...corsHeaders,
  'access-control-allow-methods': corsAllowedMethods.join(', '),
  'access-control-allow-headers': corsAllowedHeaders.join(', '),
  'access-control-max-age': String(corsMaxAgeSeconds),
};

function sendJson(response: ServerResponse, status: number, body: unknown, requestId: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'apigw-requestid': requestId,
    ...corsHeaders,
  });
  response.end(JSON.stringify(body));
}

function sendError(
  response: ServerResponse,
  error: AppError,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): void {
  const body = JSON.stringify(errorBody(error, requestId));
  response.writeHead(error.status, {
    ...errorHeaders(error),
    ...extraHeaders,
    'content-length': String(Buffer.byteLength(body)),
    'apigw-requestid': requestId,
    ...corsHeaders,
  });
  response.end(body);
}

/**
 * A request Node's HTTP parser refused before any handler saw it (headers
 * too large, conflicting length headers, a malformed request line): the
 * contract's error body all the same, then the connection closes.
 */
function answerUnparsable(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const refusal = new AppError(
    error.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'MALFORMED_REQUEST',
  );
  const requestId = randomUUID();
  const body = JSON.stringify(errorBody(refusal, requestId));
  const headers = {
    ...errorHeaders(refusal),
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.title}\r\n${Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')}\r\n${body}`,
  );
}

/** The URL of a request; one that cannot be parsed is the client's error. */
function requestUrl(request: IncomingMessage): URL {
  try {
    return new URL(request.url ?? '/', 'http://local');
  } catch {
    throw new AppError('MALFORMED_REQUEST', 'The request URL cannot be parsed.');
  }
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The path is not valid percent-encoded UTF-8.');
  }
}

/** API Gateway passes every claim to the function as a string. */
function gatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}

/** The API Gateway v2 event that the real HTTP API would hand to the function. */
function toEvent(
  request: IncomingMessage,
  url: URL,
  mounted: MountedRoute,
  parameters: string[],
  body: Buffer,
  authorizer: Record<string, unknown> | undefined,
  requestId: string,
): ApiEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // Own properties whatever the names (`__proto__` included), as JSON.parse gives them to a Lambda function.
  const query: Record<string, string> = Object.fromEntries(
    [...new Set(url.searchParams.keys())].map((name) => [name, url.searchParams.getAll(name).join(',')]),
  );
  const pathParameters = Object.fromEntries(
    mounted.parameterNames.map((name, index) => [name, decodePathPart(parameters[index] ?? '')]),
  );
  const now = new Date();
  const routeKey = `${mounted.route.method} ${mounted.route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(mounted.parameterNames.length ? { pathParameters } : {}),
    ...(body.length ? { body: body.toString('utf8') } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: mounted.route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: authorizer ?? { principalId: '', integrationLatency: 0, jwt: { claims: {}, scopes: [] } },
    },
  } as unknown as ApiEvent;
}

function lambdaContext(functionName: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function issueDevToken(issuer: TokenIssuer, body: Buffer, response: ServerResponse, requestId: string) {
  const input = parseInput(devTokenBody, parseJson(body), 'body');
  sendJson(
    response,
    200,
    'service' in input ? await issuer.signService() : await issuer.sign(input),
    requestId,
  );
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw new AppError('INVALID_JSON');
  }
}

/**
 * Serves the route table over HTTP as API Gateway would: matches the route,
 * checks the bearer token like the JWT authorizer, builds the v2 event and
 * calls the same handler Lambda runs. Adds what only exists locally, never
 * deployed: `POST /dev/token`, `POST /dev/ses/events` (SES's feedback,
 * simulated), `PUT /dev/dns/txt` (the local DNS's records), `POST
 * /dev/jobs/<job>` (a daily job run once: `recheck-domains`,
 * `renew-subscriptions`), and the targets of the emails' links (`/join`,
 * `/download`).
 */
export async function startApiServer(options: {
  port: number;
  host: string;
  issuer: TokenIssuer;
  simulateEmailEvent: (body: unknown) => Promise<unknown>;
  domainChecks: LocalDomainChecks;
  jobs: LocalJobs;
}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const mounted = await mountRoutes();
  // The handlers' own client, loaded once their environment is set.
  const { dynamo } = await import('../../shared/db/client');
  enforceFunctionPermissions(dynamo);
  const server = createServer(async (request, response) => {
    const requestId = randomUUID();
    try {
      const url = requestUrl(request);
      const body = await readBody(request);
      if (body === undefined) throw new AppError('PAYLOAD_TOO_LARGE');
      if (request.method === 'OPTIONS') {
        response.writeHead(204, preflightHeaders);
        response.end();
        return;
      }
      if (request.method === 'POST' && url.pathname === '/dev/token') {
        await issueDevToken(options.issuer, body, response, requestId);
        return;
      }
      if (request.method === 'POST' && url.pathname === '/dev/ses/events') {
        sendJson(response, 200, { data: await options.simulateEmailEvent(parseJson(body)) }, requestId);
        return;
      }
      if (request.method === 'PUT' && url.pathname === '/dev/dns/txt') {
        sendJson(response, 200, { data: options.domainChecks.setTxt(parseJson(body)) }, requestId);
        return;
      }
      const job = request.method === 'POST' ? /^\/dev\/jobs\/([a-z-]+)$/.exec(url.pathname)?.[1] : undefined;
      const runJob = job ? options.jobs[job] : undefined;
      if (runJob) {
        sendJson(response, 200, { data: await runJob(parseJson(body)) }, requestId);
        return;
      }
      if (request.method === 'GET' && url.pathname === '/download') {
        response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(
          'The apps’ download page: in AWS, the AppDownloadUrl parameter points the emails here.\n',
        );
        return;
      }
      // Locally APP_URL is this server, and there is no web app: an invitation link shows its preview.
      const joinToken = url.pathname === '/join' ? url.searchParams.get('token') : null;
      if (request.method === 'GET' && joinToken) {
        response.writeHead(302, { location: `/v1/invitations/${encodeURIComponent(joinToken)}` });
        response.end();
        return;
      }
      const onPath = mounted.flatMap((candidate) => {
        const found = candidate.pattern.exec(url.pathname);
        return found ? [{ mounted: candidate, parameters: found.slice(1) }] : [];
      });
      const match = onPath.find((candidate) => candidate.mounted.route.method === request.method);
      if (!match && onPath.length > 0) {
        // Known path, other method. (API Gateway itself answers 404 here: it only matches route keys.)
        const allow = [...new Set(onPath.map((candidate) => candidate.mounted.route.method))].join(', ');
        sendError(response, new AppError('METHOD_NOT_ALLOWED'), requestId, { allow });
        return;
      }
      if (!match) throw new AppError('ROUTE_NOT_FOUND');
      let authorizer: Record<string, unknown> | undefined;
      if (isInternal(match.mounted.route)) {
        // API Gateway's IAM authorization: no valid signature (here: no service token), no call.
        if (!(await options.issuer.verifyService(request.headers.authorization))) {
          throw new AppError(
            'UNAUTHORIZED',
            'This internal route takes the telephony side’s signed requests only.',
          );
        }
        authorizer = iamAuthorizerContext();
      } else if (match.mounted.route.access !== 'public') {
        const payload = await options.issuer.verify(request.headers.authorization);
        if (!payload) throw new AppError('UNAUTHORIZED');
        authorizer = {
          principalId: '',
          integrationLatency: 0,
          jwt: { claims: gatewayClaims(payload), scopes: [] },
        };
      }
      const event = toEvent(request, url, match.mounted, match.parameters, body, authorizer, requestId);
      const { route, handler } = match.mounted;
      const result = await asRoute(route, () => handler(event, lambdaContext(route.operation, requestId)));
      response.writeHead(result.statusCode ?? 200, {
        ...(result.headers ?? {}),
        'apigw-requestid': requestId,
        ...corsHeaders,
      });
      response.end(result.body ?? '');
    } catch (error) {
      if (error instanceof AppError) sendError(response, error, requestId);
      else {
        console.error('local server error', error);
        sendError(response, new AppError('INTERNAL'), requestId);
      }
    }
  });
  server.on('clientError', answerUnparsable);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
