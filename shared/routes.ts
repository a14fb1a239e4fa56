import { routes as auditRoutes } from './features/audit/routes';
import { routes as billingRoutes } from './features/billing/routes';
import { routes as documentRoutes } from './features/documents/routes';
import { routes as domainRoutes } from './features/domains/routes';
import { routes as invitationRoutes } from './features/invitations/routes';
import { routes as memberRoutes } from './features/members/routes';
import { routes as numberRoutes } from './features/numbers/routes';
import { routes as portingRoutes } from './features/porting/routes';
import { routes as suppressionRoutes } from './features/suppressions/routes';
import { routes as workspaceRoutes } from './features/workspaces/routes';
import type { RouteDefinition } from './http/route';

/**
 * The route table, the one list of every feature's routes: CDK creates one
 * route and one function per entry, the local server mounts the same
 * handlers, and the OpenAPI document and docs/routes.md are generated from
 * it. A new feature adds its folder's routes here, and nowhere else.
 * (A function imports only its own feature's routes module, never this one.)
 */
export const routes = {
  ...workspaceRoutes,
  ...memberRoutes,
  ...invitationRoutes,
  ...suppressionRoutes,
  ...domainRoutes,
  ...numberRoutes,
  ...portingRoutes,
  ...billingRoutes,
  ...auditRoutes,
  ...documentRoutes,
} as const satisfies Record<string, RouteDefinition>;

export type RouteName = keyof typeof routes;
export const routeList: RouteDefinition[] = Object.values(routes);
