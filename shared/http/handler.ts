import type {
  APIGatewayProxyEventV2WithIAMAuthorizer,
  APIGatewayProxyEventV2WithJWTAuthorizer,
} from 'aws-lambda';
import type * as z from 'zod/mini';
import { loadAccess, touchLastActive } from '../access/membership';
import { type NumberAccessItem, requireNumberAccess } from '../access/numbers';
import { requirePermission } from '../access/permissions';
import type { MemberItem, WorkspaceItem } from '../access/tenancy';
import type { Caller, RequestContext } from '../core/context';
import { AppError } from '../core/errors';
import { logger } from '../core/logger';
import { honoursDevNow } from '../core/time';
import { callerFrom } from './caller';
import { recordRequest } from './metrics';
import { type ApiResult, errorResult, jsonHeaders } from './responses';
import { type RouteDefinition, routePermission } from './route';
import { serviceCallerFrom } from './service-caller';
import { parseInput } from './validation';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
/** An internal route's event: IAM-authorized, signed by the telephony side. */
export type ServiceEvent = APIGatewayProxyEventV2WithIAMAuthorizer;

const maxBodyBytes = 64 * 1024;
const jsonContentType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

type Infer<S> = S extends z.ZodMiniType ? z.infer<S> : undefined;

export type ResponseOf<R extends RouteDefinition> = R['response'] extends {
  kind: 'item';
  schema: infer S;
  accepted: { schema: infer A };
}
  ? { data: Infer<S> } | { accepted: { data: Infer<A> } }
  : R['response'] extends { kind: 'item'; schema: infer S }
    ? { data: Infer<S> }
    : R['response'] extends { kind: 'list'; schema: infer S }
      ? { data: Infer<S>[]; nextCursor: string | null }
      : R['response'] extends { kind: 'document'; schema: infer S }
        ? Infer<S>
        : undefined;

/** A request as its operation sees it: parsed input, the caller, and the request's context. */
export interface RouteRequest<R extends RouteDefinition> extends RequestContext {
  params: Infer<R['input']['params']>;
  query: Infer<R['input']['query']>;
  body: Infer<R['input']['body']>;
  header(name: string): string | undefined;
}

export interface WorkspaceRouteRequest<R extends RouteDefinition> extends RouteRequest<R> {
  workspaceId: string;
  membership: MemberItem;
  workspace: R['loadsWorkspace'] extends true ? WorkspaceItem : undefined;
  /** The member named by the request's `userId` (404 before anything else when there is none). */
  target: R['loadsTargetMember'] extends 'params' | 'body' ? MemberItem : undefined;
  /** The number of the path, which the caller may see (404 before anything else otherwise). */
  phoneNumber: R['phoneNumber'] extends string ? NumberAccessItem : undefined;
}

type Operation<R extends RouteDefinition> = (request: WorkspaceRouteRequest<R>) => Promise<ResponseOf<R>>;

/**
 * An operation whose own 400 and 404 come from reading or checking what the
 * request names (an invitation by id, addresses, phone numbers): `prepare`
 * runs before the route's permission is decided, as the contract's
 * precedence says (400 → 404 → 403 → 409), and hands its result to `run`.
 */
interface PreparedOperation<R extends RouteDefinition, P> {
  /** The request's own 400s that its schemas cannot say (they need code), before anything is read. */
  validate?(request: RouteRequest<R>): void;
  prepare?(request: WorkspaceRouteRequest<R>): Promise<P> | P;
  run(request: WorkspaceRouteRequest<R>, prepared: P): Promise<ResponseOf<R>>;
}

const headerOf = (event: ApiEvent | ServiceEvent, name: string): string | undefined =>
  event.headers?.[name.toLowerCase()];

function readBody(route: RouteDefinition, event: ApiEvent | ServiceEvent): unknown {
  if (!route.input.body) return undefined;
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  if (Buffer.byteLength(raw) > maxBodyBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The request body must be at most ${maxBodyBytes / 1024} KiB.`);
  }
  if (raw.trim() === '') return parseInput(route.input.body, undefined, 'body');
  if (!jsonContentType.test(headerOf(event, 'content-type') ?? ''))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError('INVALID_JSON');
  }
  return parseInput(route.input.body, json, 'body');
}

/**
 * The instant the request is decided at: now, or, on the local server only
 * (`DEV_NOW=on`, which no deployed function has), the `X-Dev-Now` header's,
 * so that a test can price a change in the middle of a period.
 */
function requestInstant(event: ApiEvent | ServiceEvent): Date {
  const asked = honoursDevNow() ? headerOf(event, 'x-dev-now') : undefined;
  if (asked === undefined) return new Date();
  const instant = new Date(asked);
  if (Number.isNaN(instant.getTime()) || !/(Z|[+-]\d{2}:\d{2})$/.test(asked)) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      fieldErrors: [{ path: 'X-Dev-Now', message: 'Give an ISO 8601 time with Z or an offset.' }],
    });
  }
  return instant;
}

/** The request's input, parsed by the route's schemas (400 naming every problem). */
function parseRequest<R extends RouteDefinition>(
  route: R,
  event: ApiEvent | ServiceEvent,
  caller: Caller,
): RouteRequest<R> {
  return {
    params: parseInput(route.input.params, event.pathParameters ?? {}, 'path') as Infer<R['input']['params']>,
    query: parseInput(route.input.query, event.queryStringParameters ?? {}, 'query') as Infer<
      R['input']['query']
    >,
    body: readBody(route, event) as Infer<R['input']['body']>,
    caller,
    requestId: event.requestContext.requestId,
    now: requestInstant(event),
    header: (name) => headerOf(event, name),
  };
}

function respond(route: RouteDefinition, body: unknown): ApiResult {
  if (route.response.kind === 'empty') return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
  if (
    route.response.kind === 'item' &&
    route.response.accepted &&
    body &&
    typeof body === 'object' &&
    'accepted' in body
  ) {
    return { statusCode: 202, headers: { ...jsonHeaders }, body: JSON.stringify(body.accepted) };
  }
  return { statusCode: route.response.status, headers: { ...jsonHeaders }, body: JSON.stringify(body) };
}

/**
 * What every function does around its operation: the contract's answer or
 * error body (internals never leave), one log line for a refusal or a
 * fault, and the request's metrics.
 */
function wrap<E extends ApiEvent | ServiceEvent>(
  route: RouteDefinition,
  run: (event: E) => Promise<unknown>,
) {
  return async (event: E): Promise<ApiResult> => {
    const started = performance.now();
    const requestId = event.requestContext.requestId;
    let result: ApiResult;
    try {
      result = respond(route, await run(event));
    } catch (cause) {
      const { error, result: failure } = errorResult(cause, requestId);
      if (cause instanceof AppError && error.status === 503) {
        // A dependency outside the service (a domain's DNS) did not answer: the client retries, nothing is broken here.
        logger.warn('Dependency unavailable', { operation: route.operation, requestId, code: error.code });
      } else if (error.status >= 500) {
        logger.error('Request failed', { operation: route.operation, requestId, error: cause as Error });
      } else {
        logger.info('Request refused', { operation: route.operation, requestId, code: error.code });
      }
      result = failure;
    }
    recordRequest(route.operation, result.statusCode ?? 200, performance.now() - started);
    return result;
  };
}

const anonymous: Caller = { userId: '', email: '', emailVerified: false, name: '' };

/** A handler for a route that needs no workspace: public or any signed-in user. */
export function createHandler<R extends RouteDefinition>(
  route: R,
  operation: (request: RouteRequest<R>) => Promise<ResponseOf<R>>,
) {
  return wrap<ApiEvent>(route, async (event) => {
    const caller = route.access === 'public' ? anonymous : callerFrom(event);
    return operation(parseRequest(route, event, caller));
  });
}

/** A handler for an internal route: the telephony side's signed request, never a user's token. */
export function createServiceHandler<R extends RouteDefinition>(
  route: R,
  operation: (request: RouteRequest<R>) => Promise<ResponseOf<R>>,
) {
  return wrap<ServiceEvent>(route, async (event) =>
    operation(parseRequest(route, event, serviceCallerFrom(event))),
  );
}

/**
 * A handler for a route under a workspace, in the contract's precedence:
 * parses the input (400), reads the caller's membership (404 when there is
 * none, whatever the workspace) and the member the request is about (404),
 * lets the operation prepare (its own 400 and 404), decides the route's
 * permission (403), then runs the operation.
 */
export function createWorkspaceHandler<R extends RouteDefinition, P = undefined>(
  route: R,
  operation: Operation<R> | PreparedOperation<R, P>,
) {
  const { validate, prepare, run } =
    typeof operation === 'function'
      ? {
          validate: undefined,
          prepare: undefined,
          run: (request: WorkspaceRouteRequest<R>) => operation(request),
        }
      : operation;
  return wrap<ApiEvent>(route, async (event) => {
    const caller = callerFrom(event);
    const request = parseRequest(route, event, caller);
    validate?.(request);
    const { workspaceId, phoneNumberId } = request.params as { workspaceId: string; phoneNumberId?: string };
    const targetSource = route.loadsTargetMember === 'body' ? request.body : request.params;
    const { membership, workspace, target, phoneNumber } = await loadAccess(workspaceId, caller.userId, {
      withWorkspace: route.loadsWorkspace === true,
      targetUserId: route.loadsTargetMember ? (targetSource as { userId: string }).userId : undefined,
      phoneNumberId: route.phoneNumber ? phoneNumberId : undefined,
    });
    if (!membership || (route.loadsWorkspace && !workspace)) throw new AppError('WORKSPACE_NOT_FOUND');
    // A number the caller can neither manage nor hold is unknown to them; what they may do on it is a 403 below.
    if (route.phoneNumber) requireNumberAccess('see', membership, phoneNumber);
    if (route.loadsTargetMember && !target) throw new AppError('MEMBER_NOT_FOUND');
    const scoped = {
      ...request,
      workspaceId,
      membership,
      workspace,
      target,
      phoneNumber,
    } as WorkspaceRouteRequest<R>;
    const prepared = (prepare ? await prepare(scoped) : undefined) as P;
    if (route.phoneNumber) requireNumberAccess(route.phoneNumber, membership, phoneNumber);
    const permission = routePermission(route);
    if (permission) requirePermission(membership.role, permission, workspace?.settings);
    // Activity is a side note: a failure to record it never fails the request.
    await touchLastActive(membership, request.now).catch((error: unknown) =>
      logger.warn('Could not record activity', { requestId: request.requestId, error: error as Error }),
    );
    return run(scoped, prepared);
  });
}
