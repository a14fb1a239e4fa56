import middy, { type MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod/mini';
import { loadAccess, touchLastActive } from '../domain/access';
import type { MemberItem, WorkspaceItem } from '../domain/items';
import { logger } from '../logger';
import { enforce } from '../permissions';
import { type Caller, callerFrom } from './caller';
import { AppError, errorBody } from './errors';
import type { RouteDefinition } from './route';
import { parseInput } from './validation';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

const maxBodyBytes = 64 * 1024;
const jsonContentType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

type Infer<S> = S extends z.ZodMiniType ? z.infer<S> : undefined;

export type ResponseOf<R extends RouteDefinition> = R['response'] extends { kind: 'item'; schema: infer S }
  ? { data: Infer<S> }
  : R['response'] extends { kind: 'list'; schema: infer S }
    ? { data: Infer<S>[]; nextCursor: string | null }
    : R['response'] extends { kind: 'document'; schema: infer S }
      ? Infer<S>
      : undefined;

export interface RequestContext<R extends RouteDefinition> {
  params: Infer<R['input']['params']>;
  query: Infer<R['input']['query']>;
  body: Infer<R['input']['body']>;
  caller: Caller;
  requestId: string;
  now: Date;
  header(name: string): string | undefined;
}

export interface WorkspaceRequestContext<R extends RouteDefinition> extends RequestContext<R> {
  workspaceId: string;
  membership: MemberItem;
  workspace: R['loadsWorkspace'] extends true ? WorkspaceItem : undefined;
  /** The member named by the request's `userId`, if any such member exists. */
  target: R['loadsTargetMember'] extends 'params' | 'body' ? MemberItem | undefined : undefined;
}

function header(event: ApiEvent, name: string): string | undefined {
  return event.headers?.[name.toLowerCase()];
}

function readBody(route: RouteDefinition, event: ApiEvent): unknown {
  if (!route.input.body) return undefined;
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  if (Buffer.byteLength(raw) > maxBodyBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The request body must be at most ${maxBodyBytes / 1024} KiB.`);
  }
  if (raw.trim() === '') return parseInput(route.input.body, undefined);
  if (!jsonContentType.test(header(event, 'content-type') ?? ''))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError('INVALID_JSON');
  }
  return parseInput(route.input.body, json);
}

function baseContext<R extends RouteDefinition>(
  route: R,
  event: ApiEvent,
  caller: Caller,
): RequestContext<R> {
  return {
    params: parseInput(route.input.params, event.pathParameters ?? {}) as Infer<R['input']['params']>,
    query: parseInput(route.input.query, event.queryStringParameters ?? {}) as Infer<R['input']['query']>,
    body: readBody(route, event) as Infer<R['input']['body']>,
    caller,
    requestId: event.requestContext.requestId,
    now: new Date(),
    header: (name) => header(event, name),
  };
}

const jsonHeaders = { 'content-type': 'application/json', 'cache-control': 'no-store' };

function respond(route: RouteDefinition, body: unknown): ApiResult {
  if (route.response.kind === 'empty') return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
  return { statusCode: route.response.status, headers: jsonHeaders, body: JSON.stringify(body) };
}

/** Turns any failure into the contract's error body; internals never leave. */
function contractErrors(route: RouteDefinition): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    onError: (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      const cause = request.error;
      const error = cause instanceof AppError ? cause : new AppError('INTERNAL');
      if (error.status >= 500) {
        logger.error('Request failed', { operation: route.operation, requestId, error: cause as Error });
      } else {
        logger.info('Request refused', { operation: route.operation, requestId, code: error.code });
      }
      request.response = {
        statusCode: error.status,
        headers: jsonHeaders,
        body: JSON.stringify(errorBody(error, requestId)),
      };
    },
  };
}

function wrap<R extends RouteDefinition>(route: R, run: (event: ApiEvent) => Promise<unknown>) {
  return middy<ApiEvent, ApiResult, Error, Context>()
    .use(contractErrors(route))
    .handler(async (event) => respond(route, await run(event)));
}

/** A handler for a route that needs no workspace: public or any signed-in user. */
export function createHandler<R extends RouteDefinition>(
  route: R,
  operation: (request: RequestContext<R>) => Promise<ResponseOf<R>>,
) {
  return wrap(route, async (event) => {
    const caller =
      route.access === 'public'
        ? { userId: '', email: '', emailVerified: false, name: '' }
        : callerFrom(event);
    return operation(baseContext(route, event, caller));
  });
}

/**
 * A handler for a route under a workspace: reads the caller's membership
 * (404 when there is none, whatever the workspace), then lets the permission
 * module decide before the operation runs.
 */
export function createWorkspaceHandler<R extends RouteDefinition>(
  route: R,
  operation: (request: WorkspaceRequestContext<R>) => Promise<ResponseOf<R>>,
) {
  return wrap(route, async (event) => {
    const caller = callerFrom(event);
    const base = baseContext(route, event, caller);
    const workspaceId = (base.params as { workspaceId: string }).workspaceId;
    const targetSource = route.loadsTargetMember === 'body' ? base.body : base.params;
    const { membership, workspace, target } = await loadAccess(workspaceId, caller.userId, {
      withWorkspace: route.loadsWorkspace === true,
      targetUserId: route.loadsTargetMember ? (targetSource as { userId: string }).userId : undefined,
    });
    if (!membership || (route.loadsWorkspace && !workspace)) throw new AppError('WORKSPACE_NOT_FOUND');
    if (route.access !== 'member' && route.access !== 'public' && route.access !== 'signedIn') {
      enforce({
        kind: 'permission',
        actorRole: membership.role,
        permission: route.access,
        settings: workspace?.settings,
      });
    }
    // Activity is a side note: a failure to record it never fails the request.
    await touchLastActive(membership, base.now).catch((error: unknown) =>
      logger.warn('Could not record activity', { requestId: base.requestId, error: error as Error }),
    );
    return operation({ ...base, workspaceId, membership, workspace, target } as WorkspaceRequestContext<R>);
  });
}
