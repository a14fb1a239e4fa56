import type * as z from 'zod/mini';
import type { Permission } from '../permissions';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route: anyone, any signed-in user, any member of the
 * workspace in the path, or a member holding a permission there.
 */
export type Access = 'public' | 'signedIn' | 'member' | Permission;

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
  /** Also the handler's file name: `functions/<operation>.ts`. */
  operation: string;
  method: HttpMethod;
  path: string;
  summary: string;
  access: Access;
  /** Reads the workspace item with the caller's membership, in the same request. */
  loadsWorkspace?: boolean;
  /** Reads the member the request is about (`userId` of the path or of the body) in that same request. */
  loadsTargetMember?: 'params' | 'body';
  input: { params: ObjectSchema; query: ObjectSchema; body?: z.ZodMiniType };
  response:
    | { status: 200 | 201; kind: 'item' | 'list'; schema: z.ZodMiniType }
    | { status: 200 | 201; kind: 'document'; schema: z.ZodMiniType }
    | { status: 204; kind: 'empty'; schema: null };
  /** Honours the Idempotency-Key header. */
  idempotent?: boolean;
  table: { actions: TableAction[]; indexes?: string[] };
  /** Error statuses beyond those its access and method imply (documented in OpenAPI). */
  alsoFailsWith?: (403 | 404 | 409 | 410 | 429)[];
  /** Sends email through SES: its function may send from the configured sender, and nothing else does. */
  sendsEmail?: boolean;
  /** Only the local server mounts it; never deployed. */
  localOnly?: boolean;
}

export const isWorkspaceScoped = (route: RouteDefinition) =>
  route.access !== 'public' && route.access !== 'signedIn';

/**
 * Everything a route's function does to the table: its own operation's
 * actions plus what authorization needs (the caller's membership, the
 * workspace or the target member when loaded with it).
 */
export function tableActionsFor(route: RouteDefinition): TableAction[] {
  const actions = new Set<TableAction>(route.table.actions);
  if (isWorkspaceScoped(route)) {
    // One GetItem alone; BatchGetItem with the workspace or the target (GetItem again when the target is the caller).
    if (route.loadsWorkspace || route.loadsTargetMember) actions.add('BatchGetItem');
    if (!route.loadsWorkspace) actions.add('GetItem');
  }
  return [...actions].sort();
}

/** The throttled `lastActiveAt` write: the one attribute a route without its own UpdateItem may update. */
export const activityAttribute = 'lastActiveAt';
export const updatesOnlyActivity = (route: RouteDefinition) =>
  isWorkspaceScoped(route) && !route.table.actions.includes('UpdateItem');
