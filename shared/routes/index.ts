import type { RouteDefinition } from '../http/route';
import { routes as auditRoutes } from './audit';
import { routes as documentRoutes } from './documents';
import { routes as invitationRoutes } from './invitations';
import { routes as memberRoutes } from './members';
import { routes as workspaceRoutes } from './workspaces';

/**
 * The route table: CDK creates one route and one function per entry, the
 * local server mounts the same handlers, and the OpenAPI document is
 * generated from it. It is kept in one module per feature so that a function
 * bundles only its own feature's schemas.
 */
export const routes = {
  ...workspaceRoutes,
  ...memberRoutes,
  ...invitationRoutes,
  ...auditRoutes,
  ...documentRoutes,
} as const satisfies Record<string, RouteDefinition>;

export type RouteName = keyof typeof routes;
export const routeList: RouteDefinition[] = Object.values(routes);
