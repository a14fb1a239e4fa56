import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NumberNeed } from '../../../shared/access/numbers';
import { holds } from '../../../shared/access/permissions';
import type { Role } from '../../../shared/access/roles';
import { routes } from '../../../shared/features/numbers/routes';
import type { RouteDefinition } from '../../../shared/http/route';
import { startTestApi, type TestApi, type TestUser } from '../../support/api';
import { addNumber, grant, numberPath } from '../../support/numbers';
import { createTeam, seedMember } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

/** Who asks, by role and by their entry on the number (none, or a level, perhaps as its number owner). */
const callers = {
  owner: { role: 'owner', entry: undefined },
  admin: { role: 'admin', entry: undefined },
  'member, number owner': { role: 'member', entry: { access: 'shared', numberOwner: true } },
  'member, shared': { role: 'member', entry: { access: 'shared', numberOwner: false } },
  'member, read-only': { role: 'member', entry: { access: 'read-only', numberOwner: false } },
  'member, no access': { role: 'member', entry: undefined },
} as const satisfies Record<string, { role: Role; entry?: { access: string; numberOwner: boolean } }>;
type CallerName = keyof typeof callers;

const workspaceRoutes = Object.values(routes).filter(
  (route) => route.access !== 'service' && 'phoneNumber' in route,
) as (RouteDefinition & { phoneNumber: NumberNeed })[];

/** What the matrix and the number rules say this caller gets on this route: 404 (unseen), 403, or success. */
function expected(route: RouteDefinition & { phoneNumber: NumberNeed }, name: CallerName): 404 | 403 | 'ok' {
  const { role, entry } = callers[name];
  const manages = holds(role, 'numbers.updateSettings', undefined) || entry?.numberOwner === true;
  if (!manages && !entry) return 404;
  if (route.phoneNumber === 'manage' && !manages) return 403;
  if (route.phoneNumber === 'hold' && !entry) return 403;
  const permission = route.access;
  if (
    permission !== 'member' &&
    permission !== 'public' &&
    permission !== 'signedIn' &&
    !holds(role, permission as never, undefined)
  )
    return 403;
  return 'ok';
}

/** A valid request of each route, on the number, about the plain shared member where it names one. */
function requestOf(route: RouteDefinition, path: string, subject: TestUser) {
  const bodies: Record<string, unknown> = {
    updatePhoneNumber: { name: 'Renamed' },
    setNumberAccess: { access: 'read-only' },
    setNumberNotifications: { calls: false },
    setRingOrder: { mode: 'all-at-once' },
  };
  const suffix: Record<string, string> = {
    setNumberAccess: `/access/${subject.userId}`,
    revokeNumberAccess: `/access/${subject.userId}`,
    setNumberNotifications: '/notifications',
    setRingOrder: '/ring-order',
    canUsePhoneNumber: '/can?action=view',
    getPhoneNumberRouting: '/routing?at=2026-12-24T17:30:00Z',
  };
  return { path: `${path}${suffix[route.operation] ?? ''}`, body: bodies[route.operation] };
}

const cases = workspaceRoutes.flatMap((route) =>
  (Object.keys(callers) as CallerName[]).map(
    (name) => [route.operation, name, expected(route, name)] as const,
  ),
);

describe('every role and number owner against every number route', () => {
  it('covers every route that names a number', () => {
    expect(new Set(cases.map(([operation]) => operation)).size).toBe(workspaceRoutes.length);
    expect(workspaceRoutes.length).toBeGreaterThanOrEqual(9);
  });

  // One team; each case gets a fresh number (release deletes it) and fresh members in the member
  // positions, so that cases run at once without writing the same member items.
  let team: Awaited<ReturnType<typeof createTeam>>;
  beforeAll(async () => {
    team = await createTeam(api);
  });

  it.concurrent.each(cases)('%s by %s: %s', async (operation, name, outcome) => {
    const route = workspaceRoutes.find((candidate) => candidate.operation === operation) as RouteDefinition;
    const id = await addNumber(api, team.workspaceId, team.owner);
    const people = { owner: team.owner, admin: team.admin } as Record<CallerName, TestUser>;
    for (const [who, position] of Object.entries(callers) as [CallerName, (typeof callers)[CallerName]][]) {
      if (position.role !== 'member') continue;
      people[who] = await api.user();
      await seedMember(api, team.workspaceId, people[who], 'member');
      if (position.entry) {
        await grant(
          api,
          team.workspaceId,
          id,
          team.owner,
          people[who],
          position.entry.access,
          position.entry.numberOwner,
        );
      }
    }
    const request = requestOf(route, numberPath(team.workspaceId, id), people['member, shared']);
    const response = await api.request(route.method, request.path, {
      token: people[name].token,
      body: request.body,
    });
    if (outcome === 'ok') {
      expect(response.status, JSON.stringify(response.body)).toBe(route.response.status);
    } else {
      expect(response.status, JSON.stringify(response.body)).toBe(outcome);
      if (outcome === 404) expect(response.body.code).toBe('NUMBER_NOT_FOUND');
    }
  });
});
