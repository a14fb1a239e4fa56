import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/api';
import { auditLog } from '../../support/audit';
import {
  accessPath,
  addNumber,
  grant,
  newNumber,
  numberPath,
  numbersPath,
  serviceToken,
} from '../../support/numbers';
import { createTeam, setWorkspaceStatus } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

const can = (workspaceId: string, phoneNumberId: string, token: string, action: string) =>
  api.get(`${numberPath(workspaceId, phoneNumberId)}/can?action=${action}`, token);

describe.concurrent('adding numbers', () => {
  it('validates and formats with libphonenumber, and answers the number with its national format and country', async () => {
    const team = await createTeam(api);
    const number = newNumber();
    const national = `+1 (${number.slice(2, 5)}) ${number.slice(5, 8)}-${number.slice(8)}`;
    const added = await api.post(numbersPath(team.workspaceId), team.admin.token, {
      number: national,
      name: 'Sales',
    });
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({
      number,
      formattedNumber: `(${number.slice(2, 5)}) ${number.slice(5, 8)}-${number.slice(8)}`,
      country: 'US',
      name: 'Sales',
      callerIdName: null,
      businessHours: null,
      callFlow: { ringTimeoutSeconds: 30, unanswered: { action: 'voicemail', forwardTo: null } },
      ringOrder: { mode: 'all-at-once', groupSize: null, order: null },
      members: [],
    });
    for (const bad of ['+1415', '4155550123', '+999123456', 'phone', '+1 415 555 01234567']) {
      const refused = await api.post(numbersPath(team.workspaceId), team.owner.token, { number: bad });
      expect(refused.status, bad).toBe(400);
      expect(refused.body.code).toBe('INVALID_PHONE_NUMBER');
      expect(refused.body.errors[0].path).toBe('number');
    }
  });

  it('keeps a number in one workspace at a time, across workspaces and under parallel adds', async () => {
    const first = await createTeam(api);
    const second = await createTeam(api);
    const number = newNumber();
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        api.post(
          numbersPath((index % 2 ? first : second).workspaceId),
          (index % 2 ? first : second).owner.token,
          {
            number,
          },
        ),
      ),
    );
    expect(attempts.filter((response) => response.status === 201)).toHaveLength(1);
    for (const response of attempts.filter((candidate) => candidate.status !== 201)) {
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('NUMBER_TAKEN');
    }
  });

  it('honours Idempotency-Key: the same key answers the first number, once', async () => {
    const team = await createTeam(api);
    const body = { number: newNumber() };
    const headers = { 'idempotency-key': `add-${Date.now()}` };
    const first = await api.post(numbersPath(team.workspaceId), team.owner.token, body, { headers });
    const again = await api.post(numbersPath(team.workspaceId), team.owner.token, body, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.data.id).toBe(first.body.data.id);
    const other = await api.post(
      numbersPath(team.workspaceId),
      team.owner.token,
      { number: newNumber() },
      { headers },
    );
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('lets a member invited with "assign a new number" pick exactly one, for themselves', async () => {
    const team = await createTeam(api);
    const invitee = await api.user({ name: 'Nina New' });
    const invited = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.owner.token, {
      emails: [invitee.email],
      role: 'member',
      phoneAssignment: { mode: 'new' },
    });
    expect(invited.status).toBe(201);
    const invitationId = invited.body.data[0].id;
    const accepted = await api.post('/v1/invitations/accept', invitee.token, {
      workspaceId: team.workspaceId,
      invitationId,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data.member.pendingNumberChoice).toBe(true);
    // A plain member without the pick cannot add numbers.
    const refused = await api.post(numbersPath(team.workspaceId), team.member.token, { number: newNumber() });
    expect(refused.status).toBe(403);
    const picks = await Promise.all(
      [newNumber(), newNumber(), newNumber()].map((number) =>
        api.post(numbersPath(team.workspaceId), invitee.token, { number }),
      ),
    );
    const picked = picks.filter((response) => response.status === 201);
    expect(picked).toHaveLength(1);
    expect(picked[0]?.body.data.members).toEqual([
      expect.objectContaining({ userId: invitee.userId, access: 'exclusive', numberOwner: true }),
    ]);
    const member = await api.get(
      `/v1/workspaces/${team.workspaceId}/members/${invitee.userId}`,
      invitee.token,
    );
    expect(member.body.data.pendingNumberChoice).toBe(false);
    expect(member.body.data.phoneNumbers).toEqual([
      { id: picked[0]?.body.data.id, number: picked[0]?.body.data.number, access: 'exclusive' },
    ]);
  });
});

describe.concurrent('access (D4, the plan cap, D5)', () => {
  it('grants, changes and revokes, with the member list in step and every change audited', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const granted = await grant(api, team.workspaceId, id, team.admin, team.member, 'shared', true);
    expect(granted).toMatchObject({
      userId: team.member.userId,
      access: 'shared',
      numberOwner: true,
      notifications: { calls: true, messages: true, voicemail: true },
      historyVisibleFrom: null,
    });
    const listed = await api.get(`/v1/workspaces/${team.workspaceId}/members?limit=100`, team.owner.token);
    const inList = listed.body.data.find(
      (member: { userId: string }) => member.userId === team.member.userId,
    );
    expect(inList.phoneNumbers).toEqual([expect.objectContaining({ id, access: 'shared' })]);
    await grant(api, team.workspaceId, id, team.owner, team.member, 'read-only');
    const revoked = await api.del(accessPath(team.workspaceId, id, team.member.userId), team.owner.token);
    expect(revoked.status).toBe(204);
    const after = await api.get(
      `/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`,
      team.owner.token,
    );
    expect(after.body.data.phoneNumbers).toEqual([]);
    const events = (await auditLog(api, team.workspaceId, team.owner.token)).filter(
      (event) => event.target.id === id,
    );
    expect(events.map((event) => event.action)).toEqual(
      expect.arrayContaining([
        'phoneNumber.added',
        'phoneNumber.accessGranted',
        'phoneNumber.accessChanged',
        'phoneNumber.accessRevoked',
      ]),
    );
    const changed = events.find((event) => event.action === 'phoneNumber.accessChanged');
    expect(changed?.before).toEqual({ userId: team.member.userId, access: 'shared', numberOwner: true });
    expect(changed?.after).toEqual({ userId: team.member.userId, access: 'read-only', numberOwner: false });
  });

  it('D4: exclusive means alone, both ways, and read-only viewers may stay', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    await grant(api, team.workspaceId, id, team.owner, team.member, 'shared');
    await grant(api, team.workspaceId, id, team.owner, team.owner, 'read-only');
    const exclusive = await api.put(accessPath(team.workspaceId, id, team.admin.userId), team.owner.token, {
      access: 'exclusive',
    });
    expect(exclusive.status).toBe(409);
    expect(exclusive.body.code).toBe('NUMBER_ACCESS_CONFLICT');
    expect(exclusive.body.message).toContain('1 other member');
    // The member alone may turn their shared access exclusive; the read-only viewer stays.
    await grant(api, team.workspaceId, id, team.owner, team.member, 'exclusive');
    const shared = await api.put(accessPath(team.workspaceId, id, team.admin.userId), team.owner.token, {
      access: 'shared',
    });
    expect(shared.status).toBe(409);
    expect(shared.body.code).toBe('NUMBER_ACCESS_CONFLICT');
    await grant(api, team.workspaceId, id, team.owner, team.admin, 'read-only');
    const number = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(number.body.data.members.map((member: { access: string }) => member.access).sort()).toEqual([
      'exclusive',
      'read-only',
      'read-only',
    ]);
  });

  it('D4 under 20 parallel exclusive grants: exactly one wins', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const people = await Promise.all(Array.from({ length: 20 }, () => api.user()));
    const { seedMember } = await import('../../support/seed');
    await Promise.all(people.map((person) => seedMember(api, team.workspaceId, person, 'member')));
    const results = await Promise.all(
      people.map((person) =>
        api.put(accessPath(team.workspaceId, id, person.userId), team.owner.token, { access: 'exclusive' }),
      ),
    );
    expect(results.filter((response) => response.status === 200)).toHaveLength(1);
    for (const response of results.filter((candidate) => candidate.status !== 200)) {
      expect(response.status).toBe(409);
      expect(['NUMBER_ACCESS_CONFLICT', 'CONCURRENT_UPDATE']).toContain(response.body.code);
    }
    const number = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(number.body.data.members).toHaveLength(1);
  });

  it('holds the plan’s members per number under parallel grants (starter: 10)', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const people = await Promise.all(Array.from({ length: 14 }, () => api.user()));
    const { seedMember } = await import('../../support/seed');
    await Promise.all(people.map((person) => seedMember(api, team.workspaceId, person, 'member')));
    const results = await Promise.all(
      people.map((person) =>
        api.put(accessPath(team.workspaceId, id, person.userId), team.owner.token, { access: 'shared' }),
      ),
    );
    // Conflicting transactions are retried; a grant that lost every retry says so (409) and wrote nothing.
    const granted = results.filter((response) => response.status === 200).length;
    expect(granted).toBeLessThanOrEqual(10);
    const number = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(number.body.data.members).toHaveLength(granted);
    const more = await Promise.all(
      people.map((person) =>
        api.put(accessPath(team.workspaceId, id, person.userId), team.owner.token, { access: 'shared' }),
      ),
    );
    const full = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(full.body.data.members).toHaveLength(10);
    expect(more.filter((response) => response.body.code === 'NUMBER_MEMBER_LIMIT').length).toBe(4);
  });

  it('D5: an admin manages a number without using it; a member sees only what they hold', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    const other = await addNumber(api, team.workspaceId, team.owner);
    const adminCan = await can(team.workspaceId, id, team.admin.token, 'view');
    expect(adminCan.status).toBe(200);
    expect(adminCan.body.data).toMatchObject({ allowed: false, reason: 'NO_ACCESS', access: null });
    const memberCan = await can(team.workspaceId, id, team.member.token, 'call');
    expect(memberCan.body.data).toMatchObject({ allowed: true, reason: 'SHARED_ACCESS', access: 'shared' });
    // A number the member neither holds nor manages does not exist for them.
    expect((await can(team.workspaceId, other, team.member.token, 'call')).status).toBe(404);
    expect((await api.get(numberPath(team.workspaceId, other), team.member.token)).status).toBe(404);
    const mine = await api.get(numbersPath(team.workspaceId), team.member.token);
    expect(mine.body.data.map((number: { id: string }) => number.id)).toEqual([id]);
    const everything = await api.get(numbersPath(team.workspaceId), team.admin.token);
    expect(everything.body.data.map((number: { id: string }) => number.id).sort()).toEqual(
      [id, other].sort(),
    );
    const theirs = await api.get(
      `${numbersPath(team.workspaceId)}?userId=${team.member.userId}`,
      team.admin.token,
    );
    expect(theirs.body.data.map((number: { id: string }) => number.id)).toEqual([id]);
    const snooping = await api.get(
      `${numbersPath(team.workspaceId)}?userId=${team.admin.userId}`,
      team.member.token,
    );
    expect(snooping.status).toBe(403);
    // Read-only: visible, not callable; a holder who is no manager may not change it.
    await grant(api, team.workspaceId, id, team.owner, team.member, 'read-only');
    expect((await can(team.workspaceId, id, team.member.token, 'text')).body.data).toMatchObject({
      allowed: false,
      reason: 'READ_ONLY',
    });
    expect((await can(team.workspaceId, id, team.member.token, 'view')).body.data).toMatchObject({
      allowed: true,
      reason: 'READ_ONLY_ACCESS',
    });
    const patch = await api.patch(numberPath(team.workspaceId, id), team.member.token, { name: 'Mine' });
    expect(patch.status).toBe(403);
    expect(patch.body.code).toBe('NUMBER_MANAGER_REQUIRED');
  });

  it('lets a number owner manage their own number only', async () => {
    const team = await createTeam(api);
    const own = await addNumber(api, team.workspaceId, team.owner);
    const other = await addNumber(api, team.workspaceId, team.owner);
    await grant(api, team.workspaceId, own, team.owner, team.member, 'shared', true);
    await grant(api, team.workspaceId, other, team.owner, team.member, 'shared');
    const renamed = await api.patch(numberPath(team.workspaceId, own), team.member.token, {
      name: 'Support line',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data.name).toBe('Support line');
    // Granting anyone, an admin included, and making them number owners.
    await grant(api, team.workspaceId, own, team.member, team.admin, 'shared', true);
    const revokeAdmin = await api.del(
      accessPath(team.workspaceId, own, team.admin.userId),
      team.member.token,
    );
    expect(revokeAdmin.status).toBe(204);
    expect(
      (await api.patch(numberPath(team.workspaceId, other), team.member.token, { name: 'x' })).status,
    ).toBe(403);
    expect((await api.del(numberPath(team.workspaceId, own), team.member.token)).status).toBe(403);
  });
});

describe.concurrent('decisions are immediate after any change', () => {
  it('after a role change, a revoke, a removal and a suspension', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    const service = await serviceToken(api);
    const internal = (userId: string, action = 'call') =>
      api.get(`/internal${numberPath(team.workspaceId, id)}/can?userId=${userId}&action=${action}`, service);
    expect((await internal(team.member.userId)).body.data).toMatchObject({
      allowed: true,
      reason: 'SHARED_ACCESS',
    });
    await api.patch(`/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`, team.owner.token, {
      role: 'admin',
    });
    expect((await internal(team.member.userId)).body.data.allowed).toBe(true);
    expect((await internal(team.admin.userId)).body.data).toMatchObject({
      allowed: false,
      reason: 'NO_ACCESS',
    });
    await api.del(accessPath(team.workspaceId, id, team.member.userId), team.owner.token);
    expect((await internal(team.member.userId)).body.data).toMatchObject({
      allowed: false,
      reason: 'NO_ACCESS',
    });
    await grant(api, team.workspaceId, id, team.owner, team.member, 'exclusive');
    expect((await internal(team.member.userId)).body.data).toMatchObject({
      allowed: true,
      reason: 'EXCLUSIVE_ACCESS',
    });
    await setWorkspaceStatus(api, team.workspaceId, 'suspended');
    expect((await internal(team.member.userId)).body.data).toMatchObject({
      allowed: false,
      reason: 'WORKSPACE_INACTIVE',
    });
    await setWorkspaceStatus(api, team.workspaceId, 'active');
    expect(
      (await api.del(`/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`, team.owner.token))
        .status,
    ).toBe(204);
    expect((await internal(team.member.userId)).body.data).toMatchObject({
      allowed: false,
      reason: 'NO_ACCESS',
    });
  });
});
