import type * as z from 'zod/mini';
import type { NumberNeed } from '../access/numbers';
import type { Permission } from '../access/permissions';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route: anyone, any signed-in user, any member of the
 * workspace in the path, a member holding a permission there, or the
 * telephony side (an internal route: IAM-authorized in AWS, never a user's token).
 */
type Access = 'public' | 'signedIn' | 'member' | Permission | 'service';

/** DynamoDB actions an operation performs; its function is granted exactly these. */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem';

export type ObjectSchema = z.ZodMiniObject;

export interface RouteDefinition {
  operation: string;
  /** The handler's file, from the repository root: `functions/<feature>/<operation>.ts`. */
  handler: string;
  method: HttpMethod;
  path: string;
  summary: string;
  access: Access;
  /** Reads the workspace item with the caller's membership, in the same request. */
  loadsWorkspace?: boolean;
  /** Reads the member the request is about (`userId` of the path or of the body) in that same request. */
  loadsTargetMember?: 'params' | 'body';
  /** Reads the number of the path (`phoneNumberId`) in that same request, and requires this of the caller on it. */
  phoneNumber?: NumberNeed;
  input: { params: ObjectSchema; query: ObjectSchema; body?: z.ZodMiniType };
  response:
    | {
        status: 200 | 201;
        kind: 'item';
        schema: z.ZodMiniType;
        /** The operation may instead answer 202 with this item: accepted, decided later. */
        accepted?: { schema: z.ZodMiniType; description: string };
      }
    | {
        status: 200 | 201;
        kind: 'list';
        schema: z.ZodMiniType;
        /** A handful at most, whole in one answer: no paging, `nextCursor` always null. */
        whole?: true;
      }
    | { status: 200 | 201; kind: 'document'; schema: z.ZodMiniType }
    | { status: 204; kind: 'empty'; schema: null };
  /** Request headers the operation reads beyond the contract's own (name → description, for OpenAPI). */
  headers?: Record<string, string>;
  /** Honours the Idempotency-Key header. */
  idempotent?: boolean;
  table: { actions: TableAction[]; indexes?: string[] };
  /** Error statuses beyond those its access and method imply (documented in OpenAPI). */
  alsoFailsWith?: (403 | 404 | 409 | 410 | 429 | 503)[];
  /** A read recorded in the audit log (the carrier's read of a PIN): a GET that may Put its audit event, and nothing else. */
  auditsReads?: true;
  /**
   * Uses the secrets key (KMS): `encrypt` may only make data keys
   * (GenerateDataKey), `decrypt` may only decrypt them, and only under an
   * encryption context of exactly `contextKeys`, whose `purpose` is this
   * one. A route without it has no KMS permission at all.
   */
  secretKey?: { use: 'encrypt' | 'decrypt'; purpose: string; contextKeys: readonly string[] };
  /** Queues email in the outbox (the mailer sends it): its function gets the links' base URLs. */
  queuesEmail?: boolean;
}

/** A route a member of the workspace in its path calls, with their user token. */
export const isWorkspaceScoped = (route: RouteDefinition) =>
  route.access !== 'public' && route.access !== 'signedIn' && route.access !== 'service';

export const isInternal = (route: RouteDefinition) => route.access === 'service';

/** The permission a route is decided on before its operation runs, if any. */
export const routePermission = (route: RouteDefinition): Permission | undefined =>
  route.access === 'public' ||
  route.access === 'signedIn' ||
  route.access === 'member' ||
  route.access === 'service'
    ? undefined
    : route.access;

/** The feature folder a route's handler lives in: `functions/<feature>/…`. */
export const featureOf = (route: RouteDefinition) => route.handler.split('/')[1] ?? '';

/**
 * Everything a route's function does to the table: its own operation's
 * actions plus what authorization needs (the caller's membership, the
 * workspace or the target member when loaded with it).
 */
export function tableActionsFor(route: RouteDefinition): TableAction[] {
  const actions = new Set<TableAction>(route.table.actions);
  if (isWorkspaceScoped(route)) {
    // One GetItem alone; BatchGetItem with the workspace or the target (GetItem again when the target is the caller).
    if (route.loadsWorkspace || route.loadsTargetMember || route.phoneNumber) actions.add('BatchGetItem');
    if (!route.loadsWorkspace && !route.phoneNumber) actions.add('GetItem');
  }
  return [...actions].sort();
}

/** A route whose operation updates nothing may still write the throttled `lastActiveAt`, and only that. */
export const updatesOnlyActivity = (route: RouteDefinition) =>
  isWorkspaceScoped(route) && !route.table.actions.includes('UpdateItem');
