import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/features/audit/events';
import { type ApiResponse, startTestApi, type TestApi, type TestUser } from '../../support/api';
import { auditLog, requestIdOf } from '../../support/audit';
import { memberPath, workspacePath } from '../../support/paths';
import { createTeam, seedMember, type Team } from '../../support/seed';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

/** The whole log, newest first; `query` as `&action=…`. */
const teamLog = (team: Team, query = '', token = team.owner.token) =>
  auditLog(api, team.workspaceId, token, query.replace(/^&/, ''));

/** The one event a successful request wrote, found by its request id. */
async function eventOf(team: Team, response: ApiResponse): Promise<AuditEvent> {
  const requestId = requestIdOf(response);
  expect(requestId).toEqual(expect.any(String));
  const matching = (await teamLog(team)).filter((event) => event.requestId === requestId);
  expect(matching, `events of request ${requestId}`).toHaveLength(1);
  return matching[0] as AuditEvent;
}

const actorOf = (user: TestUser) => ({ userId: user.userId, email: user.email.toLowerCase() });
const eventId = /^EV[0-9A-HJKMNP-TV-Z]{26}$/;

async function addMember(team: Team, role: 'owner' | 'admin' | 'member', name?: string) {
  const user = await api.user(name ? { name } : {});
  await seedMember(api, team.workspaceId, user, role);
  return user;
}

describe('every change writes its audit event', () => {
  it('workspace.created: the creator, the new workspace, the request', async () => {
    const ada = await api.user({ name: 'Ada' });
    const created = await api.post('/v1/workspaces', ada.token, { name: 'Audited', plan: 'scale' });
    expect(created.status).toBe(201);
    const workspace = created.body.data;
    const team = { workspaceId: workspace.id, owner: ada } as Team;
    expect(await teamLog(team)).toEqual([
      {
        id: expect.stringMatching(eventId),
        at: workspace.createdAt,
        actor: actorOf(ada),
        action: 'workspace.created',
        target: { type: 'workspace', id: workspace.id },
        before: null,
        after: { name: 'Audited', plan: 'scale', owner: ada.userId },
        requestId: requestIdOf(created),
      },
    ]);
  });

  it('workspace.updated: only the changed fields, before and after, as the workspace now is', async () => {
    const team = await createTeam(api);
    const updated = await api.patch(workspacePath(team), team.owner.token, {
      name: 'Acme Two',
      settings: { membersCanInvite: false, adminsCanManageBilling: false },
    });
    expect(updated.status).toBe(200);
    const event = await eventOf(team, updated);
    expect(event).toEqual({
      id: expect.stringMatching(eventId),
      at: updated.body.data.updatedAt,
      actor: actorOf(team.owner),
      action: 'workspace.updated',
      target: { type: 'workspace', id: team.workspaceId },
      before: { name: 'Acme', membersCanInvite: true },
      after: { name: 'Acme Two', membersCanInvite: false },
      requestId: requestIdOf(updated),
    });
    const byAdmin = await api.patch(workspacePath(team), team.admin.token, {
      settings: { membersCanInvite: true },
    });
    expect(await eventOf(team, byAdmin)).toMatchObject({
      actor: actorOf(team.admin),
      before: { membersCanInvite: false },
      after: { membersCanInvite: true },
    });
    const workspace = (await api.get(workspacePath(team), team.owner.token)).body.data;
    expect(workspace).toMatchObject({ name: 'Acme Two', settings: { membersCanInvite: true } });
    expect(workspace.updatedAt).toBe(byAdmin.body.data.updatedAt);
  });

  it('member.roleChanged: the target, its role before and after, as the member now is', async () => {
    const team = await createTeam(api);
    const promoted = await api.patch(memberPath(team, team.member.userId), team.admin.token, {
      role: 'admin',
    });
    expect(promoted.status).toBe(200);
    expect(await eventOf(team, promoted)).toMatchObject({
      actor: actorOf(team.admin),
      action: 'member.roleChanged',
      target: { type: 'member', id: team.member.userId },
      before: { role: 'member' },
      after: { role: 'admin' },
    });
    const steppedDown = await addMember(team, 'owner');
    const stepDown = await api.patch(memberPath(team, steppedDown.userId), steppedDown.token, {
      role: 'member',
    });
    expect(stepDown.status).toBe(200);
    const event = await eventOf(team, stepDown);
    expect(event).toMatchObject({
      actor: actorOf(steppedDown),
      target: { type: 'member', id: steppedDown.userId },
      before: { role: 'owner' },
      after: { role: 'member' },
    });
    const member = await api.get(memberPath(team, steppedDown.userId), team.owner.token);
    expect(member.body.data.role).toBe(event.after?.role);
  });

  it('member.removed: the removed member as they were, and who got their numbers', async () => {
    const team = await createTeam(api);
    const removed = await api.del(
      `${memberPath(team, team.member.userId)}?reassignNumbersTo=${team.owner.userId}`,
      team.admin.token,
    );
    expect(removed.status).toBe(204);
    expect(await eventOf(team, removed)).toMatchObject({
      actor: actorOf(team.admin),
      action: 'member.removed',
      target: { type: 'member', id: team.member.userId },
      before: { role: 'member', email: team.member.email.toLowerCase(), phoneNumbers: [] },
      after: { numbersReassignedTo: team.owner.userId },
    });
    expect((await api.get(memberPath(team, team.member.userId), team.owner.token)).status).toBe(404);
  });

  it('member.left: the leaver is both actor and target', async () => {
    const team = await createTeam(api);
    const left = await api.post(`${workspacePath(team)}/leave`, team.admin.token);
    expect(left.status).toBe(204);
    expect(await eventOf(team, left)).toMatchObject({
      actor: actorOf(team.admin),
      action: 'member.left',
      target: { type: 'member', id: team.admin.userId },
      before: { role: 'admin' },
      after: null,
    });
  });

  it('ownership.transferred: both people, their roles before and after, as they now are', async () => {
    const team = await createTeam(api);
    const transferred = await api.post(`${workspacePath(team)}/ownership-transfer`, team.owner.token, {
      userId: team.member.userId,
    });
    expect(transferred.status).toBe(200);
    const event = await eventOf(team, transferred);
    expect(event).toMatchObject({
      actor: actorOf(team.owner),
      action: 'ownership.transferred',
      target: { type: 'member', id: team.member.userId },
      before: {
        from: { userId: team.owner.userId, role: 'owner' },
        to: { userId: team.member.userId, role: 'member' },
      },
      after: {
        from: { userId: team.owner.userId, role: 'admin' },
        to: { userId: team.member.userId, role: 'owner' },
      },
    });
    const members = (await api.get(`${workspacePath(team)}/members`, team.member.token)).body.data;
    const roleOf = (userId: string) =>
      members.find((member: { userId: string }) => member.userId === userId)?.role;
    const after = event.after as {
      from: { userId: string; role: string };
      to: { userId: string; role: string };
    };
    expect(roleOf(after.from.userId)).toBe(after.from.role);
    expect(roleOf(after.to.userId)).toBe(after.to.role);
  });

  it('a refused or empty change writes nothing', async () => {
    const team = await createTeam(api);
    const before = await teamLog(team);
    expect(before.map((event) => event.action)).toEqual(['workspace.created']);
    const refused = [
      await api.patch(memberPath(team, team.owner.userId), team.admin.token, { role: 'admin' }),
      await api.patch(memberPath(team, team.owner.userId), team.owner.token, { role: 'admin' }),
      await api.patch(memberPath(team, team.admin.userId), team.admin.token, { role: 'member' }),
      await api.del(memberPath(team, team.owner.userId), team.admin.token),
      await api.del(memberPath(team, team.member.userId), team.owner.token, {
        headers: { 'x-client-platform': 'mobile' },
      }),
      await api.del(`${memberPath(team, team.member.userId)}?reassignNumbersTo=nobody`, team.owner.token),
      await api.post(`${workspacePath(team)}/leave`, team.owner.token),
      await api.post(`${workspacePath(team)}/ownership-transfer`, team.owner.token, {
        userId: team.outsider.userId,
      }),
      await api.patch(workspacePath(team), team.member.token, { name: 'Nope' }),
    ];
    expect(refused.map((response) => response.body.code)).toEqual([
      'OWNER_REQUIRED',
      'LAST_OWNER',
      'OWN_ROLE_CHANGE',
      'OWNER_REQUIRED',
      'MOBILE_NOT_ALLOWED',
      'REASSIGN_TARGET_NOT_MEMBER',
      'LAST_OWNER',
      'MEMBER_NOT_FOUND',
      'ROLE_FORBIDDEN',
    ]);
    // Changes to what already is: answered, but nothing changed.
    expect(
      (await api.patch(memberPath(team, team.admin.userId), team.owner.token, { role: 'admin' })).status,
    ).toBe(200);
    expect((await api.patch(workspacePath(team), team.owner.token, { name: 'Acme' })).status).toBe(200);
    expect(await teamLog(team)).toEqual(before);
  });
});

describe('reading the audit log', () => {
  /** A team whose log holds one event of each kind, in a known order. */
  async function busyTeam() {
    const team = await createTeam(api);
    const extra = await addMember(team, 'member', 'Extra Person');
    const steps: [TestUser, ApiResponse][] = [];
    const step = async (actor: TestUser, request: Promise<ApiResponse>) => {
      const response = await request;
      expect(response.status).toBeLessThan(300);
      steps.push([actor, response]);
    };
    await step(team.admin, api.patch(workspacePath(team), team.admin.token, { name: 'Acme Busy' }));
    await step(
      team.owner,
      api.patch(memberPath(team, team.member.userId), team.owner.token, { role: 'admin' }),
    );
    await step(
      team.admin,
      api.patch(memberPath(team, team.member.userId), team.admin.token, { role: 'member' }),
    );
    await step(team.admin, api.del(memberPath(team, extra.userId), team.admin.token));
    await step(team.member, api.post(`${workspacePath(team)}/leave`, team.member.token));
    await step(
      team.owner,
      api.post(`${workspacePath(team)}/ownership-transfer`, team.owner.token, { userId: team.admin.userId }),
    );
    return { team, steps };
  }

  it('lists every event newest first', async () => {
    const { team, steps } = await busyTeam();
    const log = await teamLog(team);
    expect(log.map((event) => event.action)).toEqual([
      'ownership.transferred',
      'member.left',
      'member.removed',
      'member.roleChanged',
      'member.roleChanged',
      'workspace.updated',
      'workspace.created',
    ]);
    expect(log.slice(0, -1).map((event) => event.requestId)).toEqual(
      steps.map(([, response]) => requestIdOf(response)).reverse(),
    );
    expect(log.slice(0, -1).map((event) => event.actor.userId)).toEqual(
      steps.map(([actor]) => actor.userId).reverse(),
    );
    const ats = log.map((event) => event.at);
    expect(ats).toEqual([...ats].sort().reverse());
    const ids = log.map((event) => event.id);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('filters by action, by actor, and by both', async () => {
    const { team } = await busyTeam();
    const actions = async (query: string) => (await teamLog(team, query)).map((event) => event.action);

    expect(await actions('&action=member.roleChanged')).toEqual(['member.roleChanged', 'member.roleChanged']);
    expect(await actions('&action=workspace.created')).toEqual(['workspace.created']);
    expect(await actions('&action=member.joined')).toEqual([]);
    expect(await actions(`&actor=${team.admin.userId}`)).toEqual([
      'member.removed',
      'member.roleChanged',
      'workspace.updated',
    ]);
    // The events of someone who has left stay in the log.
    expect(await actions(`&actor=${team.member.userId}`)).toEqual(['member.left']);
    expect(await actions(`&actor=${team.owner.userId}`)).toEqual([
      'ownership.transferred',
      'member.roleChanged',
      'workspace.created',
    ]);
    const both = await teamLog(team, `&action=member.roleChanged&actor=${team.owner.userId}`);
    expect(both).toHaveLength(1);
    expect(both[0]).toMatchObject({ actor: { userId: team.owner.userId }, after: { role: 'admin' } });
    expect(await actions(`&actor=${team.outsider.userId}`)).toEqual([]);
  });

  it('pages with cursors, unfiltered and filtered: no duplicates, no gaps', async () => {
    const { team } = await busyTeam();
    const everything = await teamLog(team);
    const page = async (query: string, limit: number) => {
      const events: AuditEvent[] = [];
      const sizes: number[] = [];
      let after: string | null = null;
      do {
        const cursor: string = after ? `&after=${encodeURIComponent(after)}` : '';
        const response = await api.get(
          `${workspacePath(team)}/audit-events?limit=${limit}${query}${cursor}`,
          team.admin.token,
        );
        expect(response.status).toBe(200);
        events.push(...response.body.data);
        sizes.push(response.body.data.length);
        after = response.body.nextCursor;
        expect(sizes.length).toBeLessThan(20);
      } while (after);
      return { events, sizes };
    };
    const unfiltered = await page('', 3);
    expect(unfiltered.sizes).toEqual([3, 3, 1]);
    expect(unfiltered.events).toEqual(everything);

    const byAdmin = await page(`&actor=${team.admin.userId}`, 2);
    expect(byAdmin.sizes).toEqual([2, 1]);
    expect(byAdmin.events).toEqual(everything.filter((event) => event.actor.userId === team.admin.userId));

    const members = await page('&action=member.roleChanged', 1);
    expect(members.events).toEqual(everything.filter((event) => event.action === 'member.roleChanged'));
  });

  it('serves a filter from its own index partition: full pages, and no empty page after a non-empty one', async () => {
    const team = await createTeam(api);
    for (let index = 0; index < 25; index++) {
      expect((await api.patch(workspacePath(team), team.owner.token, { name: `Acme ${index}` })).status).toBe(
        200,
      );
    }
    const pagesOf = async (query: string) => {
      const sizes: number[] = [];
      let after: string | null = null;
      do {
        const cursor: string = after ? `&after=${encodeURIComponent(after)}` : '';
        const response = await api.get(
          `${workspacePath(team)}/audit-events?${query}${cursor}`,
          team.owner.token,
        );
        expect(response.status).toBe(200);
        sizes.push(response.body.data.length);
        after = response.body.nextCursor;
      } while (after);
      return sizes;
    };
    // One workspace.created among 26 events: one page, no cursor to an empty one.
    expect(await pagesOf('action=workspace.created&limit=5')).toEqual([1]);
    expect(await pagesOf('action=workspace.updated&limit=10')).toEqual([10, 10, 5]);
    expect(await pagesOf(`action=workspace.updated&actor=${team.owner.userId}&limit=20`)).toEqual([20, 5]);
    expect(await pagesOf(`actor=${team.admin.userId}`)).toEqual([0]);
  });

  it('is readable by owners and admins only: 403 for a member, 404 for a non-member', async () => {
    const team = await createTeam(api);
    const path = `${workspacePath(team)}/audit-events`;
    expect((await api.get(path, team.owner.token)).status).toBe(200);
    expect((await api.get(path, team.admin.token)).status).toBe(200);
    const member = await api.get(path, team.member.token);
    expect(member.status).toBe(403);
    expect(member.body.code).toBe('ROLE_FORBIDDEN');
    expect(member.body.message).toContain('audit.read');
    const outsider = await api.get(path, team.outsider.token);
    expect(outsider.status).toBe(404);
    expect(outsider.body.code).toBe('WORKSPACE_NOT_FOUND');

    // A removed admin loses it with the very next request.
    await api.del(memberPath(team, team.admin.userId), team.owner.token);
    expect((await api.get(path, team.admin.token)).status).toBe(404);
  });

  it('400 for a bad filter', async () => {
    const team = await createTeam(api);
    const response = await api.get(`${workspacePath(team)}/audit-events?action=`, team.owner.token);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors[0].path).toBe('action');
  });
});
