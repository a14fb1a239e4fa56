import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPermission } from '../../shared/access/permissions';
import { defaultSettings, type Role, roles, type WorkspaceSettings } from '../../shared/access/roles';
import { isWorkspaceScoped } from '../../shared/http/route';
import { type RouteName, routes } from '../../shared/routes';
import { startTestApi, type TestApi } from '../support/api';
import { sampleRequests } from '../support/samples';
import { createTeam, setWorkspaceStatus, tokenFor } from '../support/seed';

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
    if (access === 'member' || access === 'public' || access === 'signedIn' || access === 'service')
      return [];
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
      const team = await createTeam(api, 'Acme', {
        withInvitation: true,
        withSuppression: true,
        withDomain: true,
        withNumber: routes[name].path.includes('{phoneNumberId}'),
      });
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
    const token = tokenFor(route, team);
    const malformed = await api.request(route.method, path, {
      token,
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('INVALID_JSON');

    const wrongTypes = await api.request(route.method, path, {
      token,
      body: { name: 42, role: 7, userId: false, settings: 'yes' },
    });
    expect(wrongTypes.status).toBe(400);
    expect(wrongTypes.body.code).toBe('VALIDATION_FAILED');
    expect(wrongTypes.body.errors.length).toBeGreaterThan(0);

    const notAnObject = await api.request(route.method, path, { token, body: [1, 2] });
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
    // Opaque: encrypted, so nothing of the key layout shows.
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toMatch(/WS#|MEMBER|GSI1|PK|SK/);
    const raw = Buffer.from(cursor, 'base64url');
    raw[raw.length - 20] = (raw[raw.length - 20] ?? 0) ^ 1;
    const tampered = raw.toString('base64url');
    for (const bad of ['garbage', `${cursor}x`, tampered, cursor.slice(0, 30), `${cursor}.sig`]) {
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

  it('400 naming an unknown query parameter, on every route', async () => {
    const team = await createTeam(api);
    for (const name of routeNames) {
      const route = routes[name];
      const sample = sampleRequests[name](team);
      const separator = sample.path.includes('?') ? '&' : '?';
      const response = await api.request(route.method, `${sample.path}${separator}cursor=abc`, {
        token: tokenFor(route, team),
        body: sample.body,
      });
      expect(response.status, name).toBe(400);
      expect(response.body, name).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'query', message: 'Unknown query parameter: cursor.' }],
      });
    }
    // Whatever the name: an own property of the query, as in a Lambda event.
    const proto = await api.get('/v1?__proto__=x');
    expect(proto.status).toBe(400);
    expect(proto.body.errors).toEqual([{ path: 'query', message: 'Unknown query parameter: __proto__.' }]);
  });
});

describe('precedence: 401 → 400 → 404 → 403 → 409, as api.md fixes it', () => {
  it('answers the request’s own problem before deciding who may do it', async () => {
    const team = await createTeam(api);
    const workspace = `/v1/workspaces/${team.workspaceId}`;
    const member = team.member.token;
    // 401 before 400: no token and a malformed body.
    expect(
      (
        await api.request('PATCH', workspace, {
          rawBody: '{',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    // 400 before 404: an outsider's malformed request.
    const outsider = await api.patch(workspace, team.outsider.token, { name: 42 });
    expect(outsider.status).toBe(400);
    // 400 before 403: a member (no workspace.configure) sending nothing to change.
    expect((await api.patch(workspace, member, {})).body.code).toBe('EMPTY_UPDATE');
    // 404 before 403: a member (no members.remove or members.updateRole) naming no one.
    expect((await api.del(`${workspace}/members/nobody`, member)).body.code).toBe('MEMBER_NOT_FOUND');
    expect((await api.patch(`${workspace}/members/nobody`, member, { role: 'admin' })).body.code).toBe(
      'MEMBER_NOT_FOUND',
    );
    await api.patch(workspace, team.owner.token, { settings: { membersCanInvite: false } });
    // 400 before 403: only invalid addresses, from a member who may not invite now.
    const invalid = await api.post(`${workspace}/invitations`, member, {
      emails: ['not-an-address'],
      role: 'member',
      phoneAssignment: { mode: 'new' },
    });
    expect(invalid.status).toBe(400);
    // 404 before 403: resending an invitation that does not exist.
    const unknown = await api.post(`${workspace}/invitations/IV00000000000000000000000000/resend`, member);
    expect(unknown.body.code).toBe('INVITATION_NOT_FOUND');
    // 400 before 403: an owner removing themselves from a mobile client is told to leave instead.
    const self = await api.del(`${workspace}/members/${team.owner.userId}`, team.owner.token, {
      headers: { 'x-client-platform': 'mobile' },
    });
    expect(self.body.code).toBe('CANNOT_TARGET_SELF');
    // 403 before 409: a member changing an inactive workspace.
    await setWorkspaceStatus(api, team.workspaceId, 'suspended');
    expect((await api.patch(workspace, member, { name: 'X' })).status).toBe(403);
    expect((await api.patch(workspace, team.owner.token, { name: 'X' })).body.code).toBe(
      'WORKSPACE_INACTIVE',
    );
  });
});

describe('the service’s own description', () => {
  it('GET /v1 answers without a token: its name, version and the OpenAPI path', async () => {
    const info = await api.get('/v1');
    expect(info.status).toBe(200);
    expect(info.body).toEqual({
      data: { name: 'Switchboard API', version: '1.0.0', openapi: '/openapi.json' },
    });
    const document = await api.get(info.body.data.openapi);
    expect(document.status).toBe(200);
    expect(document.body.info.version).toBe(info.body.data.version);
  });
});

/** One raw HTTP/1.1 exchange, for requests fetch will not send; the answer must say its length. */
function rawRequest(
  url: string,
  request: string,
): Promise<{ status: number; headers: string; body: unknown }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = received.subarray(0, end).toString('latin1');
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? Number.NaN);
      const body = received.subarray(end + 4);
      if (!(body.length >= length)) return;
      socket.destroy();
      resolve({
        status: Number(head.split(' ')[1]),
        headers: head.toLowerCase(),
        body: JSON.parse(body.subarray(0, length).toString('utf8')),
      });
    });
    socket.on('error', reject);
  });
}

describe('the local server’s HTTP edges: every answer carries the contract’s error body', () => {
  it('405 with Allow for a known path and another method', async () => {
    const team = await createTeam(api);
    const response = await api.request('PUT', `/v1/workspaces/${team.workspaceId}`, {
      token: team.owner.token,
    });
    expect(response.status).toBe(405);
    expect(response.body.code).toBe('METHOD_NOT_ALLOWED');
    expect(response.headers.get('allow')).toBe('GET, PATCH');
    const members = await api.request('DELETE', `/v1/workspaces/${team.workspaceId}/members`, {
      token: team.owner.token,
    });
    expect(members.status).toBe(405);
    expect(members.headers.get('allow')).toBe('GET');
  });

  it('400 for a request line whose URL cannot be parsed', async () => {
    const response = await rawRequest(
      api.url,
      'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ title: 'Bad Request', code: 'MALFORMED_REQUEST' });
  });

  it('431 for oversized headers, 400 for conflicting length headers', async () => {
    const huge = await rawRequest(
      api.url,
      `GET /v1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(huge.status).toBe(431);
    expect(huge.body).toMatchObject({ code: 'HEADERS_TOO_LARGE', requestId: expect.any(String) });
    const conflicting = await rawRequest(
      api.url,
      'POST /v1/workspaces HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
    );
    expect(conflicting.status).toBe(400);
    expect(conflicting.body).toMatchObject({ code: 'MALFORMED_REQUEST' });
    expect(conflicting.headers).toContain('content-type: application/json');
  });
});
