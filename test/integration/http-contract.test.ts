import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, type Role, roles, type WorkspaceSettings } from '../../shared/domain/roles';
import { isWorkspaceScoped } from '../../shared/http/route';
import { hasPermission } from '../../shared/permissions';
import { type RouteName, routes } from '../../shared/routes';
import { startTestApi, type TestApi } from '../support/api';
import { sampleRequests } from '../support/samples';
import { createTeam } from '../support/seed';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

const routeNames = Object.keys(routes) as RouteName[];
const protectedRoutes = routeNames.filter((name) => routes[name].access !== 'public');
const workspaceRoutes = routeNames.filter((name) => isWorkspaceScoped(routes[name]));

describe('authentication, as the JWT authorizer checks it', () => {
  it.each(protectedRoutes)(
    '%s: 401 without a token, with an expired, forged or foreign-audience token',
    async (name) => {
      const team = await createTeam(api);
      const route = routes[name];
      const sample = sampleRequests[name](team);
      const expired = (
        await api.issuer.sign({ email: team.owner.email, sub: team.owner.userId, expiresIn: -60 })
      ).token;
      const wrongAudience = (
        await api.issuer.sign({ email: team.owner.email, sub: team.owner.userId, audience: 'another-app' })
      ).token;
      const [header, payload] = team.owner.token.split('.');
      const forgedPayload = Buffer.from(
        JSON.stringify({
          ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
          sub: team.outsider.userId,
        }),
      ).toString('base64url');
      const forged = `${header}.${forgedPayload}.${team.owner.token.split('.')[2]}`;
      for (const token of [undefined, expired, forged, wrongAudience, 'not-a-jwt']) {
        const response = await api.request(route.method, sample.path, { token, body: sample.body });
        expect(response.status, `token ${token?.slice(0, 12)}`).toBe(401);
        expect(response.body.code).toBe('UNAUTHORIZED');
      }
    },
  );
});

describe('authorization', () => {
  // Settings-dependent permissions (D1, D2) are also denied under the most restrictive settings.
  const restrictive: WorkspaceSettings = { membersCanInvite: false, adminsCanManageBilling: false };
  type Denial = [RouteName, Role, 'default' | 'restrictive'];
  const denied = workspaceRoutes.flatMap((name): Denial[] => {
    const access = routes[name].access;
    if (access === 'member' || access === 'public' || access === 'signedIn') return [];
    return roles.flatMap((role): Denial[] => {
      if (!hasPermission(role, access, defaultSettings)) return [[name, role, 'default']];
      if (!hasPermission(role, access, restrictive)) return [[name, role, 'restrictive']];
      return [];
    });
  });

  it('covers every permission-guarded route', () => {
    expect(new Set(denied.map(([name]) => name))).toEqual(
      new Set(workspaceRoutes.filter((name) => !['member'].includes(routes[name].access))),
    );
  });

  it.each(denied)(
    '%s: 403 for the %s role, which lacks the permission (%s settings)',
    async (name, role, settings) => {
      const team = await createTeam(api);
      if (settings === 'restrictive') {
        const patched = await api.patch(`/v1/workspaces/${team.workspaceId}`, team.owner.token, {
          settings: restrictive,
        });
        expect(patched.status).toBe(200);
      }
      const caller = { owner: team.owner, admin: team.admin, member: team.member }[role];
      const route = routes[name];
      const sample = sampleRequests[name](team);
      const response = await api.request(route.method, sample.path, {
        token: caller.token,
        body: sample.body,
      });
      expect(response.status).toBe(403);
      expect(['ROLE_FORBIDDEN', 'OWNER_REQUIRED']).toContain(response.body.code);
      expect(response.body.message).toMatch(/\./);
    },
  );

  it.each(workspaceRoutes)(
    '%s: 404 for a workspace the caller is not in, and for an unknown one',
    async (name) => {
      const team = await createTeam(api);
      const route = routes[name];
      const sample = sampleRequests[name](team);
      const foreign = await api.request(route.method, sample.path, {
        token: team.outsider.token,
        body: sample.body,
      });
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('WORKSPACE_NOT_FOUND');
      const unknownPath = sample.path.replace(team.workspaceId, 'WS00000000000000000000000000');
      const unknown = await api.request(route.method, unknownPath, {
        token: team.owner.token,
        body: sample.body,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ code: 'WORKSPACE_NOT_FOUND', message: foreign.body.message });
    },
  );
});

describe('browsers', () => {
  it('answers CORS preflights and lets any origin read the answers locally', async () => {
    const preflight = await fetch(`${api.url}/v1/workspaces`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const refused = await api.get('/v1/workspaces');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('input', () => {
  const withBody = routeNames.filter((name) => 'body' in routes[name].input);

  it.each(withBody)('%s: 400 for malformed JSON, wrong types and missing fields', async (name) => {
    const team = await createTeam(api);
    const route = routes[name];
    const { path } = sampleRequests[name](team);
    const malformed = await api.request(route.method, path, {
      token: team.owner.token,
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('INVALID_JSON');

    const wrongTypes = await api.request(route.method, path, {
      token: team.owner.token,
      body: { name: 42, role: 7, userId: false, settings: 'yes' },
    });
    expect(wrongTypes.status).toBe(400);
    expect(wrongTypes.body.code).toBe('VALIDATION_FAILED');
    expect(wrongTypes.body.errors.length).toBeGreaterThan(0);

    const notAnObject = await api.request(route.method, path, { token: team.owner.token, body: [1, 2] });
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.errors[0].path).toBe('body');
  });

  it('400 lists each missing or invalid field with its path', async () => {
    const team = await createTeam(api);
    const response = await api.patch(
      `/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`,
      team.owner.token,
      {
        role: 'boss',
        extra: true,
      },
    );
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'role', message: 'Must be one of: "owner", "admin", "member".' },
        { path: 'body', message: 'Unknown field: extra.' },
      ]),
    );
    const missing = await api.post('/v1/workspaces', team.owner.token, {});
    expect(missing.body.errors).toEqual([{ path: 'name', message: 'This field is required.' }]);
  });

  it('413 for an oversized body, 415 for a body that is not JSON', async () => {
    const team = await createTeam(api);
    const big = await api.post('/v1/workspaces', team.owner.token, { name: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    const text = await api.request('POST', '/v1/workspaces', {
      token: team.owner.token,
      rawBody: 'name=Acme',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('400 for out-of-range limits and for bad or foreign cursors', async () => {
    const team = await createTeam(api);
    const other = await createTeam(api, 'Other');
    const base = `/v1/workspaces/${team.workspaceId}/members`;
    for (const limit of ['0', '101', 'ten', '1.5', '0x10', '1e1', '%205%20']) {
      const response = await api.get(`${base}?limit=${limit}`, team.owner.token);
      expect(response.status, limit).toBe(400);
      expect(response.body.errors[0].path).toBe('limit');
    }
    const first = await api.get(`${base}?limit=1`, team.owner.token);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const [payload, signature] = cursor.split('.');
    const tampered = `${Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
        s: other.workspaceId,
      }),
    ).toString('base64url')}.${signature}`;
    for (const bad of ['garbage', `${cursor}x`, tampered]) {
      const response = await api.get(`${base}?after=${encodeURIComponent(bad)}`, team.owner.token);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('INVALID_CURSOR');
    }
    // A genuine cursor of one workspace is refused by another's list, and by another list.
    const foreign = await api.get(
      `/v1/workspaces/${other.workspaceId}/members?after=${encodeURIComponent(cursor)}`,
      other.owner.token,
    );
    expect(foreign.status).toBe(400);
    const otherList = await api.get(
      `/v1/workspaces/${team.workspaceId}/audit-events?after=${encodeURIComponent(cursor)}`,
      team.owner.token,
    );
    expect(otherList.status).toBe(400);
  });

  it('404 in the contract body for an unknown route', async () => {
    const response = await api.get('/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('ROUTE_NOT_FOUND');
  });
});
