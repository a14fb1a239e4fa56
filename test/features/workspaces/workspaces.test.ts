import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/api';
import { createTeam, setWorkspaceStatus } from '../../support/seed';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

describe('workspaces', () => {
  it('creates a workspace whose creator is its only owner', async () => {
    const ada = await api.user({ name: 'Ada' });
    const created = await api.post('/v1/workspaces', ada.token, {
      name: '  Acme Phones  ',
      plan: 'business',
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      name: 'Acme Phones',
      status: 'active',
      plan: 'business',
      memberCount: 1,
      settings: { membersCanInvite: true, adminsCanManageBilling: false },
    });
    expect(created.body.data.id).toMatch(/^WS[0-9A-Z]{26}$/);
    const id = created.body.data.id;

    const fetched = await api.get(`/v1/workspaces/${id}`, ada.token);
    expect(fetched.body.data).toEqual(created.body.data);

    const members = await api.get(`/v1/workspaces/${id}/members`, ada.token);
    expect(members.body.data).toEqual([
      expect.objectContaining({ userId: ada.userId, role: 'owner', email: ada.email }),
    ]);

    const mine = await api.get('/v1/workspaces', ada.token);
    expect(mine.body.data).toEqual([{ ...created.body.data, role: 'owner' }]);
    expect(mine.body.nextCursor).toBeNull();

    const me = await api.get('/v1/me', ada.token);
    expect(me.body.data).toEqual({
      userId: ada.userId,
      email: ada.email,
      emailVerified: true,
      name: 'Ada',
      workspaces: [{ id, name: 'Acme Phones', role: 'owner' }],
    });
  });

  it('pages through the caller’s workspaces', async () => {
    const busy = await api.user();
    for (const name of ['One', 'Two', 'Three']) await api.post('/v1/workspaces', busy.token, { name });
    const first = await api.get('/v1/workspaces?limit=2', busy.token);
    expect(first.body.data).toHaveLength(2);
    const second = await api.get(
      `/v1/workspaces?limit=2&after=${encodeURIComponent(first.body.nextCursor)}`,
      busy.token,
    );
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const names = [...first.body.data, ...second.body.data].map(
      (workspace: { name: string }) => workspace.name,
    );
    expect(names.sort()).toEqual(['One', 'Three', 'Two']);
  });

  it('honours Idempotency-Key: the same key and body create once', async () => {
    const ada = await api.user();
    const headers = { 'idempotency-key': 'create-acme-1' };
    const first = await api.post('/v1/workspaces', ada.token, { name: 'Acme' }, { headers });
    const again = await api.post('/v1/workspaces', ada.token, { name: 'Acme' }, { headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const mine = await api.get('/v1/workspaces', ada.token);
    expect(mine.body.data).toHaveLength(1);

    const parallel = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.post('/v1/workspaces', ada.token, { name: 'Burst' }, { headers: { 'idempotency-key': 'burst' } }),
      ),
    );
    const ids = new Set(parallel.filter((r) => r.status === 201).map((r) => r.body.data.id));
    expect(ids.size).toBe(1);
    expect((await api.get('/v1/workspaces', ada.token)).body.data).toHaveLength(2);

    const reused = await api.post('/v1/workspaces', ada.token, { name: 'Other' }, { headers });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const badKey = await api.post(
      '/v1/workspaces',
      ada.token,
      { name: 'X' },
      { headers: { 'idempotency-key': 'a b' } },
    );
    expect(badKey.status).toBe(400);
    expect(badKey.body.errors[0].path).toBe('Idempotency-Key');
  });

  it('lets owners and admins rename and configure; only owners change adminsCanManageBilling', async () => {
    const team = await createTeam(api);
    const path = `/v1/workspaces/${team.workspaceId}`;
    const renamed = await api.patch(path, team.admin.token, {
      name: 'Acme Inc',
      settings: { membersCanInvite: false },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: 'Acme Inc', settings: { membersCanInvite: false } });

    const adminBilling = await api.patch(path, team.admin.token, {
      settings: { adminsCanManageBilling: true },
    });
    expect(adminBilling.status).toBe(403);
    expect(adminBilling.body.code).toBe('OWNER_ONLY_SETTING');

    const ownerBilling = await api.patch(path, team.owner.token, {
      settings: { adminsCanManageBilling: true },
    });
    expect(ownerBilling.body.data.settings).toEqual({
      membersCanInvite: false,
      adminsCanManageBilling: true,
    });

    const empty = await api.patch(path, team.owner.token, {});
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('EMPTY_UPDATE');

    const audit = await api.get(`${path}/audit-events?action=workspace.updated`, team.owner.token);
    expect(
      audit.body.data.map((event: { before: unknown; after: unknown }) => [event.before, event.after]),
    ).toEqual([
      [{ adminsCanManageBilling: false }, { adminsCanManageBilling: true }],
      [
        { name: 'Acme', membersCanInvite: true },
        { name: 'Acme Inc', membersCanInvite: false },
      ],
    ]);
  });

  it('reports the caller’s permissions, following the workspace settings (D1, D2)', async () => {
    const team = await createTeam(api);
    const path = `/v1/workspaces/${team.workspaceId}`;
    const permissionsOf = async (token: string) => (await api.get(`${path}/permissions`, token)).body.data;

    expect(await permissionsOf(team.member.token)).toEqual({
      role: 'member',
      permissions: ['messaging.use', 'contacts.manage', 'contacts.import', 'members.invite'],
    });
    expect((await permissionsOf(team.admin.token)).permissions).not.toContain('billing.manage');
    expect((await permissionsOf(team.owner.token)).permissions).toContain('ownership.transfer');

    await api.patch(path, team.owner.token, {
      settings: { membersCanInvite: false, adminsCanManageBilling: true },
    });
    expect((await permissionsOf(team.member.token)).permissions).not.toContain('members.invite');
    expect((await permissionsOf(team.admin.token)).permissions).toContain('billing.manage');
  });

  it('refuses changes to a workspace that is not active, but still shows it', async () => {
    const team = await createTeam(api);
    await setWorkspaceStatus(api, team.workspaceId, 'suspended');
    const path = `/v1/workspaces/${team.workspaceId}`;
    expect((await api.get(path, team.member.token)).body.data.status).toBe('suspended');
    const attempts = [
      await api.patch(path, team.owner.token, { name: 'New name' }),
      await api.patch(`${path}/members/${team.member.userId}`, team.owner.token, { role: 'admin' }),
      await api.del(`${path}/members/${team.member.userId}`, team.owner.token),
      await api.post(`${path}/leave`, team.admin.token),
      await api.post(`${path}/ownership-transfer`, team.owner.token, { userId: team.admin.userId }),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(409);
      expect(attempt.body.code).toBe('WORKSPACE_INACTIVE');
    }
    const members = await api.get(`${path}/members`, team.owner.token);
    expect(members.body.data).toHaveLength(3);
  });

  it('serves its OpenAPI document without a token', async () => {
    const response = await api.get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toContain('/v1/workspaces/{workspaceId}/members/{userId}');
  });
});
