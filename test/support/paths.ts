import type { RouteDefinition } from '../../shared/http/route';
import { routes } from '../../shared/routes';
import type { Team } from './seed';

/** A route's path with its parameters filled in: the tests address routes as the route table spells them. */
export function pathTo(route: RouteDefinition, parameters: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = parameters[name];
    if (value === undefined) throw new Error(`${route.operation} needs ${name}`);
    return encodeURIComponent(value);
  });
}

export const workspacePath = (team: Team) => pathTo(routes.getWorkspace, { workspaceId: team.workspaceId });
export const memberPath = (team: Team, userId: string) =>
  pathTo(routes.getMember, { workspaceId: team.workspaceId, userId });
export const invitationsPath = (team: Team) =>
  pathTo(routes.listInvitations, { workspaceId: team.workspaceId });
