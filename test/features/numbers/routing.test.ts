import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestUser } from '../../support/api';
import { auditLog } from '../../support/audit';
import { accessPath, addNumber, grant, newNumber, numberPath, serviceToken } from '../../support/numbers';
import { createTeam, seedMember, setWorkspaceStatus, type Team } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

// ---------------------------------------------------------------------------------------------
// Local helpers (the support files are not edited).

type Plan = 'starter' | 'business' | 'scale';

/** Like createTeam, on the plan asked for. */
async function teamOn(plan: Plan): Promise<Team> {
  if (plan === 'starter') return createTeam(api);
  const owner = await api.user({ name: 'Olivia Owner' });
  const admin = await api.user({ name: 'Adam Admin' });
  const member = await api.user({ name: 'Mia Member' });
  const outsider = await api.user({ name: 'Oscar Outsider' });
  const created = await api.post('/v1/workspaces', owner.token, { name: 'Acme', plan });
  if (created.status !== 201) throw new Error(`workspace not created: ${JSON.stringify(created.body)}`);
  expect(created.body.data.plan).toBe(plan);
  const workspaceId = created.body.data.id as string;
  await seedMember(api, workspaceId, admin, 'admin');
  await seedMember(api, workspaceId, member, 'member');
  return { workspaceId, owner, admin, member, outsider };
}

/** `count` more members of the workspace (role member), seeded in parallel. */
async function moreMembers(workspaceId: string, count: number): Promise<TestUser[]> {
  const people: TestUser[] = [];
  for (let index = 0; index < count; index++) people.push(await api.user());
  await Promise.all(people.map((person) => seedMember(api, workspaceId, person, 'member')));
  return people;
}

const weekDays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
type Interval = { start: string; end: string };
const everyDay = (...intervals: Interval[]) =>
  Object.fromEntries(weekDays.map((day) => [day, intervals])) as Record<string, Interval[]>;
const hours = (timeZone: string, weekly: Record<string, Interval[]>, overrides: unknown[] = []) => ({
  timeZone,
  weekly,
  overrides,
});

const patchNumber = (workspaceId: string, id: string, token: string, body: unknown) =>
  api.patch(numberPath(workspaceId, id), token, body);

/** The manager's routing preview, raw. */
const routingResponse = (workspaceId: string, id: string, token: string, at?: string) =>
  api.get(
    `${numberPath(workspaceId, id)}/routing${at === undefined ? '' : `?at=${encodeURIComponent(at)}`}`,
    token,
  );

/** The manager's routing preview, expecting 200. */
async function routing(workspaceId: string, id: string, token: string, at?: string) {
  const response = await routingResponse(workspaceId, id, token, at);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

/** The telephony side's routing (internal route, service token), raw. */
const internalRoutingResponse = (workspaceId: string, id: string, token: string, at?: string) =>
  api.get(
    `/internal${numberPath(workspaceId, id)}/routing${at === undefined ? '' : `?at=${encodeURIComponent(at)}`}`,
    token,
  );

/** Sets business hours, expecting 200. */
async function setHours(workspaceId: string, id: string, token: string, businessHours: unknown) {
  const response = await patchNumber(workspaceId, id, token, { businessHours });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

/** Whether the number is open at each instant (in parallel). */
async function openAt(workspaceId: string, id: string, token: string, instants: string[]) {
  const answers = await Promise.all(instants.map((at) => routing(workspaceId, id, token, at)));
  return Object.fromEntries(instants.map((at, index) => [at, answers[index].open as boolean]));
}

/** Every `stepMinutes` from `from` (included) to `to` (excluded), as ISO instants. */
function instantsBetween(from: string, to: string, stepMinutes: number): string[] {
  const list: string[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += stepMinutes * 60_000) {
    list.push(new Date(t).toISOString());
  }
  return list;
}

const availabilityPath = (workspaceId: string, userId: string) =>
  `/v1/workspaces/${workspaceId}/members/${userId}/availability`;
const ringOrderPath = (workspaceId: string, id: string) => `${numberPath(workspaceId, id)}/ring-order`;
const notificationsPath = (workspaceId: string, id: string) => `${numberPath(workspaceId, id)}/notifications`;

async function setAvailability(workspaceId: string, by: TestUser, of: TestUser, availability: unknown) {
  const response = await api.put(availabilityPath(workspaceId, of.userId), by.token, { availability });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

async function setRingOrder(workspaceId: string, id: string, by: TestUser, body: unknown) {
  const response = await api.put(ringOrderPath(workspaceId, id), by.token, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

const ids = (...users: TestUser[]) => users.map((user) => user.userId);

/** Expects a 400 whose field errors name `path`. */
function expectFieldError(
  response: { status: number; body: any },
  path: string,
  code: string = 'VALIDATION_FAILED',
) {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body.code).toBe(code);
  expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
}

// A weekday in June (no DST change): 2026-06-15 is a Monday.
const juneMondayNoonNewYork = '2026-06-15T16:00:00Z'; // 12:00 EDT

// ---------------------------------------------------------------------------------------------

describe.concurrent('settings validation (PATCH a number)', () => {
  it('callerIdName: at most 15 characters from A-Za-z0-9 and " .,\'&-"; null clears it', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    for (const good of ['ABCDEFGHIJKLMNO', "Bob's B&B, Inc.", 'Jo-Ann Co. 24', 'a']) {
      const response = await patchNumber(team.workspaceId, id, team.admin.token, { callerIdName: good });
      expect(response.status, good).toBe(200);
      expect(response.body.data.callerIdName).toBe(good);
    }
    for (const bad of [
      'ABCDEFGHIJKLMNOP',
      'Café',
      'Shop 😀',
      'me@shop',
      'Tab\there',
      'A_B',
      'Ünïcode',
      'x/y',
    ]) {
      const response = await patchNumber(team.workspaceId, id, team.admin.token, { callerIdName: bad });
      expectFieldError(response, 'callerIdName');
    }
    // The refused ones wrote nothing.
    const kept = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(kept.body.data.callerIdName).toBe('a');
    const cleared = await patchNumber(team.workspaceId, id, team.admin.token, { callerIdName: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.data.callerIdName).toBeNull();
    expect((await api.get(numberPath(team.workspaceId, id), team.owner.token)).body.data.callerIdName).toBe(
      null,
    );
  });

  it('name: 1 to 64 characters', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const ok = await patchNumber(team.workspaceId, id, team.owner.token, { name: 'x'.repeat(64) });
    expect(ok.status).toBe(200);
    expect(ok.body.data.name).toBe('x'.repeat(64));
    expect((await patchNumber(team.workspaceId, id, team.owner.token, { name: 'S' })).status).toBe(200);
    for (const bad of ['', 'x'.repeat(65), '   ']) {
      expectFieldError(await patchNumber(team.workspaceId, id, team.owner.token, { name: bad }), 'name');
    }
    expect((await api.get(numberPath(team.workspaceId, id), team.owner.token)).body.data.name).toBe('S');
  });

  it('businessHours: each mistake is reported at its exact path', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const cases: [unknown, string][] = [
      [
        hours('Europe/Paris', {
          monday: [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '13:00' },
          ],
        }),
        'businessHours.weekly.monday.1.start',
      ],
      [
        hours('Europe/Paris', {
          tuesday: [
            { start: '13:00', end: '17:00' },
            { start: '09:00', end: '12:00' },
          ],
        }),
        'businessHours.weekly.tuesday.1.start',
      ],
      [
        hours('Europe/Paris', { friday: [{ start: '10:00', end: '09:00' }] }),
        'businessHours.weekly.friday.0.end',
      ],
      [
        hours('Europe/Paris', { friday: [{ start: '10:00', end: '10:00' }] }),
        'businessHours.weekly.friday.0.end',
      ],
      [
        hours('Europe/Paris', { monday: [{ start: '24:00', end: '24:00' }] }),
        'businessHours.weekly.monday.0.start',
      ],
      [
        hours('Europe/Paris', { monday: [{ start: '09:00', end: '24:01' }] }),
        'businessHours.weekly.monday.0.end',
      ],
      [
        hours('Europe/Paris', { monday: [{ start: '9:00', end: '12:00' }] }),
        'businessHours.weekly.monday.0.start',
      ],
      [hours('Mars/Olympus_Mons', {}), 'businessHours.timeZone'],
      [hours('+05:30', {}), 'businessHours.timeZone'],
      [hours('europe/paris', {}), 'businessHours.timeZone'],
      [hours('Europe/Paris', {}, [{ date: '2026-02-30', intervals: [] }]), 'businessHours.overrides.0.date'],
      [hours('Europe/Paris', {}, [{ date: '24/12/2026', intervals: [] }]), 'businessHours.overrides.0.date'],
      [
        hours('Europe/Paris', {}, [
          { date: '2026-12-24', intervals: [] },
          { date: '2026-12-24', intervals: [{ start: '09:00', end: '12:00' }] },
        ]),
        'businessHours.overrides.1.date',
      ],
      [
        hours('Europe/Paris', {}, [
          {
            date: '2026-12-24',
            intervals: [
              { start: '09:00', end: '13:00' },
              { start: '12:00', end: '14:00' },
            ],
          },
        ]),
        'businessHours.overrides.0.intervals.1.start',
      ],
    ];
    for (const [businessHours, path] of cases) {
      expectFieldError(await patchNumber(team.workspaceId, id, team.owner.token, { businessHours }), path);
    }
    // Touching intervals, a split shift and 24:00 are fine; null means always open.
    const good = hours(
      'Europe/Paris',
      {
        monday: [
          { start: '09:00', end: '12:00' },
          { start: '12:00', end: '13:00' },
          { start: '14:00', end: '24:00' },
        ],
        sunday: [],
      },
      [{ date: '2026-12-25', intervals: [], note: 'Noël' }],
    );
    expect((await setHours(team.workspaceId, id, team.owner.token, good)).businessHours).toEqual(good);
    expect((await setHours(team.workspaceId, id, team.owner.token, null)).businessHours).toBeNull();
  });

  it('callFlow: ringTimeoutSeconds 10 to 120; forwardTo with forward only, valid, and not the number itself', async () => {
    const team = await createTeam(api);
    const own = newNumber();
    const id = await addNumber(api, team.workspaceId, team.owner, { number: own });
    const patch = (callFlow: unknown) => patchNumber(team.workspaceId, id, team.admin.token, { callFlow });
    for (const seconds of [10, 120, 45]) {
      const response = await patch({ ringTimeoutSeconds: seconds });
      expect(response.status).toBe(200);
      expect(response.body.data.callFlow.ringTimeoutSeconds).toBe(seconds);
    }
    for (const seconds of [9, 121, 0, -30, 30.5]) {
      expectFieldError(await patch({ ringTimeoutSeconds: seconds }), 'callFlow.ringTimeoutSeconds');
    }
    expectFieldError(await patch({ unanswered: { action: 'forward' } }), 'callFlow.unanswered.forwardTo');
    expectFieldError(
      await patch({ afterHours: { action: 'forward', forwardTo: null } }),
      'callFlow.afterHours.forwardTo',
    );
    expectFieldError(
      await patch({ unanswered: { action: 'forward', forwardTo: '+1415' } }),
      'callFlow.unanswered.forwardTo',
      'INVALID_PHONE_NUMBER',
    );
    expectFieldError(
      await patch({ unanswered: { action: 'forward', forwardTo: '4155550123' } }),
      'callFlow.unanswered.forwardTo',
      'INVALID_PHONE_NUMBER',
    );
    // The number itself, in E.164 and written otherwise.
    expectFieldError(
      await patch({ unanswered: { action: 'forward', forwardTo: own } }),
      'callFlow.unanswered.forwardTo',
    );
    expectFieldError(
      await patch({
        afterHours: {
          action: 'forward',
          forwardTo: `+1 ${own.slice(2, 5)} ${own.slice(5, 8)} ${own.slice(8)}`,
        },
      }),
      'callFlow.afterHours.forwardTo',
    );
    const target = newNumber();
    for (const action of ['voicemail', 'hangup']) {
      expectFieldError(
        await patch({ afterHours: { action, forwardTo: target } }),
        'callFlow.afterHours.forwardTo',
      );
    }
    // Nothing refused was written.
    const before = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(before.body.data.callFlow).toEqual({
      ringTimeoutSeconds: 45,
      unanswered: { action: 'voicemail', forwardTo: null },
      afterHours: { action: 'voicemail', forwardTo: null },
    });
    const national = `+1 (${target.slice(2, 5)}) ${target.slice(5, 8)}-${target.slice(8)}`;
    const forwarded = await patch({
      unanswered: { action: 'forward', forwardTo: national },
      afterHours: { action: 'hangup', forwardTo: null },
    });
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(200);
    expect(forwarded.body.data.callFlow).toEqual({
      ringTimeoutSeconds: 45,
      unanswered: { action: 'forward', forwardTo: target },
      afterHours: { action: 'hangup', forwardTo: null },
    });
    // Fields not given keep their value.
    const longer = await patch({ ringTimeoutSeconds: 60 });
    expect(longer.body.data.callFlow).toEqual({
      ringTimeoutSeconds: 60,
      unanswered: { action: 'forward', forwardTo: target },
      afterHours: { action: 'hangup', forwardTo: null },
    });
  });

  it('refuses an empty update, and audits phoneNumber.updated with before and after', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner, { name: 'Front desk' });
    const empty = await patchNumber(team.workspaceId, id, team.owner.token, {});
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('EMPTY_UPDATE');
    const updated = await patchNumber(team.workspaceId, id, team.admin.token, {
      name: 'Support',
      callerIdName: 'ACME SUPPORT',
    });
    expect(updated.status).toBe(200);
    const flow = await patchNumber(team.workspaceId, id, team.admin.token, {
      callFlow: { ringTimeoutSeconds: 20 },
    });
    expect(flow.status).toBe(200);
    const events = (await auditLog(api, team.workspaceId, team.owner.token)).filter(
      (event) => event.target.id === id && event.action === 'phoneNumber.updated',
    );
    // Newest first; the empty update left no event.
    expect(events).toHaveLength(2);
    const [second, first] = events;
    expect(first?.before).toEqual({ name: 'Front desk', callerIdName: null });
    expect(first?.after).toEqual({ name: 'Support', callerIdName: 'ACME SUPPORT' });
    expect(second?.before).toEqual({
      callFlow: {
        ringTimeoutSeconds: 30,
        unanswered: { action: 'voicemail', forwardTo: null },
        afterHours: { action: 'voicemail', forwardTo: null },
      },
    });
    expect(second?.after).toEqual({
      callFlow: {
        ringTimeoutSeconds: 20,
        unanswered: { action: 'voicemail', forwardTo: null },
        afterHours: { action: 'voicemail', forwardTo: null },
      },
    });
  });
});

describe.concurrent('routing', () => {
  it('refuses an `at` without Z or an offset (both routes); an offset names the same instant', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    const service = await serviceToken(api);
    for (const at of ['2026-06-15T12:00:00', '2026-06-15', 'tomorrow', '2026-06-15 12:00:00Z']) {
      expectFieldError(await routingResponse(team.workspaceId, id, team.owner.token, at), 'at');
      expectFieldError(await internalRoutingResponse(team.workspaceId, id, service, at), 'at');
    }
    // With an offset it is the same instant as in Z.
    const offset = await routing(team.workspaceId, id, team.owner.token, '2026-12-24T17:30:00-05:00');
    expect(offset.at).toBe('2026-12-24T22:30:00.000Z');
    // Without `at`: now.
    const now = await routing(team.workspaceId, id, team.owner.token);
    expect(Math.abs(Date.parse(now.at) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses, with a 400 on `at` (never a 500), a time shaped like ISO 8601 that names no instant', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    const service = await serviceToken(api);
    const impossible = ['2026-13-01T10:00:00Z', '2026-06-15T25:00:00Z', '2026-06-15T10:00:00+25:00'];
    const answers: Record<string, [number, number]> = {};
    for (const at of impossible) {
      const preview = await routingResponse(team.workspaceId, id, team.owner.token, at);
      const internal = await internalRoutingResponse(team.workspaceId, id, service, at);
      answers[at] = [preview.status, internal.status];
    }
    expect(answers).toEqual(Object.fromEntries(impossible.map((at) => [at, [400, 400]])));
  });

  it('is for managers (owners, admins, number owners) and the service token only', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    // The member holds it (shared) but does not manage it.
    const holder = await routingResponse(team.workspaceId, id, team.member.token, juneMondayNoonNewYork);
    expect(holder.status).toBe(403);
    expect(holder.body.code).toBe('NUMBER_MANAGER_REQUIRED');
    await grant(api, team.workspaceId, id, team.owner, team.member, 'shared', true);
    await routing(team.workspaceId, id, team.member.token, juneMondayNoonNewYork);
    await routing(team.workspaceId, id, team.admin.token, juneMondayNoonNewYork);
    // A user's token never reaches the internal route.
    const user = await internalRoutingResponse(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork);
    expect([401, 403]).toContain(user.status);
  });

  it('closed: no waves, then = the after-hours action; open: use-access holders, then = unanswered', async () => {
    const team = await createTeam(api);
    const [reader] = await moreMembers(team.workspaceId, 1);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const forwardTo = newNumber();
    const patched = await patchNumber(team.workspaceId, id, team.owner.token, {
      businessHours: hours('America/New_York', {
        monday: [{ start: '09:00', end: '17:00' }],
      }),
      callFlow: {
        ringTimeoutSeconds: 25,
        unanswered: { action: 'voicemail' },
        afterHours: { action: 'forward', forwardTo },
      },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    await grant(api, team.workspaceId, id, team.owner, team.member, 'shared');
    await grant(api, team.workspaceId, id, team.owner, team.admin, 'shared');
    await grant(api, team.workspaceId, id, team.owner, reader as TestUser, 'read-only');
    // The member turns their call notifications off.
    const off = await api.put(notificationsPath(team.workspaceId, id), team.member.token, { calls: false });
    expect(off.status).toBe(200);

    const service = await serviceToken(api);
    const open = await routing(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork);
    const expectedOpen = {
      open: true,
      at: '2026-06-15T16:00:00.000Z',
      localTime: '2026-06-15T12:00:00-04:00',
      timeZone: 'America/New_York',
      waves: [ids(team.member, team.admin)],
      notifications: {
        [team.member.userId]: { calls: false, messages: true, voicemail: true },
        [team.admin.userId]: { calls: true, messages: true, voicemail: true },
      },
      ringTimeoutSeconds: 25,
      // biome-ignore lint/suspicious/noThenProperty: the contract's field name.
      then: { action: 'voicemail', forwardTo: null },
    };
    expect(open).toEqual(expectedOpen);
    const internalOpen = await internalRoutingResponse(team.workspaceId, id, service, juneMondayNoonNewYork);
    expect(internalOpen.status).toBe(200);
    expect(internalOpen.body.data).toEqual(expectedOpen);

    const closedAt = '2026-06-15T22:00:00Z'; // 18:00 EDT
    const expectedClosed = {
      open: false,
      at: '2026-06-15T22:00:00.000Z',
      localTime: '2026-06-15T18:00:00-04:00',
      timeZone: 'America/New_York',
      waves: [],
      notifications: {},
      ringTimeoutSeconds: 25,
      // biome-ignore lint/suspicious/noThenProperty: the contract's field name.
      then: { action: 'forward', forwardTo },
    };
    expect(await routing(team.workspaceId, id, team.owner.token, closedAt)).toEqual(expectedClosed);
    const internalClosed = await internalRoutingResponse(team.workspaceId, id, service, closedAt);
    expect(internalClosed.body.data).toEqual(expectedClosed);

    // The read-only viewer never rings, even alone with nobody else holding it.
    await api.del(accessPath(team.workspaceId, id, team.member.userId), team.owner.token);
    await api.del(accessPath(team.workspaceId, id, team.admin.userId), team.owner.token);
    const onlyReader = await routing(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork);
    expect(onlyReader.open).toBe(true);
    expect(onlyReader.waves).toEqual([]);
    expect(onlyReader.notifications).toEqual({});
  });

  it('always open without business hours; the internal route refuses a workspace no longer active', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    const answer = await routing(team.workspaceId, id, team.owner.token, '2026-01-01T03:00:00Z');
    expect(answer).toMatchObject({
      open: true,
      timeZone: null,
      waves: [[team.member.userId]],
      ringTimeoutSeconds: 30,
      // biome-ignore lint/suspicious/noThenProperty: the contract's field name.
      then: { action: 'voicemail', forwardTo: null },
    });
    const service = await serviceToken(api);
    await setWorkspaceStatus(api, team.workspaceId, 'suspended');
    const refused = await internalRoutingResponse(team.workspaceId, id, service, '2026-01-01T03:00:00Z');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('WORKSPACE_INACTIVE');
    const unknown = await internalRoutingResponse(team.workspaceId, 'PN00000000000000000000000000', service);
    expect(unknown.status).toBe(404);
  });

  it('America/New_York, spring forward (2026-03-08): 01:59 EST is the last open minute of 01:00-02:00, and 02:00-03:00 never opens', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    await setHours(
      team.workspaceId,
      id,
      team.owner.token,
      hours('America/New_York', everyDay({ start: '01:00', end: '02:00' })),
    );
    expect(
      await openAt(team.workspaceId, id, team.owner.token, [
        '2026-03-08T05:59:00Z',
        '2026-03-08T06:00:00Z',
        '2026-03-08T06:59:00Z',
        '2026-03-08T07:00:00Z',
      ]),
    ).toEqual({
      '2026-03-08T05:59:00Z': false, // 00:59 EST
      '2026-03-08T06:00:00Z': true, // 01:00 EST
      '2026-03-08T06:59:00Z': true, // 01:59 EST
      '2026-03-08T07:00:00Z': false, // 03:00 EDT
    });
    const last = await routing(team.workspaceId, id, team.owner.token, '2026-03-08T06:59:00Z');
    expect(last.localTime).toBe('2026-03-08T01:59:00-05:00');
    const next = await routing(team.workspaceId, id, team.owner.token, '2026-03-08T07:00:00Z');
    expect(next.localTime).toBe('2026-03-08T03:00:00-04:00');

    await setHours(
      team.workspaceId,
      id,
      team.owner.token,
      hours('America/New_York', everyDay({ start: '02:00', end: '03:00' })),
    );
    // Every 15 minutes of the local day of 2026-03-08 (05:00Z to 04:00Z: 23 hours), and every
    // minute around the jump from 01:59 EST to 03:00 EDT: never open.
    const night = await openAt(team.workspaceId, id, team.owner.token, [
      ...instantsBetween('2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', 15),
      ...instantsBetween('2026-03-08T06:50:00Z', '2026-03-08T07:10:00Z', 1),
    ]);
    expect(Object.entries(night).filter(([, open]) => open)).toEqual([]);
    // The day before and after, it opens as usual.
    expect(
      await openAt(team.workspaceId, id, team.owner.token, ['2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z']),
    ).toEqual({
      '2026-03-07T07:30:00Z': true, // 02:30 EST
      '2026-03-09T06:30:00Z': true, // 02:30 EDT
    });
  });

  it('America/New_York, fall back (2026-11-01): both passes of 01:xx are open for 01:00-02:00', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    await setHours(
      team.workspaceId,
      id,
      team.owner.token,
      hours('America/New_York', everyDay({ start: '01:00', end: '02:00' })),
    );
    expect(
      await openAt(team.workspaceId, id, team.owner.token, [
        '2026-11-01T04:59:00Z', // 00:59 EDT
        '2026-11-01T05:00:00Z', // 01:00 EDT
        '2026-11-01T05:30:00Z', // 01:30 EDT
        '2026-11-01T05:59:00Z', // 01:59 EDT
        '2026-11-01T06:00:00Z', // 01:00 EST
        '2026-11-01T06:30:00Z', // 01:30 EST
        '2026-11-01T06:59:00Z', // 01:59 EST
        '2026-11-01T07:00:00Z', // 02:00 EST
      ]),
    ).toEqual({
      '2026-11-01T04:59:00Z': false,
      '2026-11-01T05:00:00Z': true,
      '2026-11-01T05:30:00Z': true,
      '2026-11-01T05:59:00Z': true,
      '2026-11-01T06:00:00Z': true,
      '2026-11-01T06:30:00Z': true,
      '2026-11-01T06:59:00Z': true,
      '2026-11-01T07:00:00Z': false,
    });
    expect((await routing(team.workspaceId, id, team.owner.token, '2026-11-01T05:30:00Z')).localTime).toBe(
      '2026-11-01T01:30:00-04:00',
    );
    expect((await routing(team.workspaceId, id, team.owner.token, '2026-11-01T06:30:00Z')).localTime).toBe(
      '2026-11-01T01:30:00-05:00',
    );
  });

  it('Europe/Paris, spring forward (2026-03-29) and fall back (2026-10-25)', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const paris = (interval: Interval) =>
      setHours(team.workspaceId, id, team.owner.token, hours('Europe/Paris', everyDay(interval)));
    await paris({ start: '01:00', end: '02:00' });
    expect(
      await openAt(team.workspaceId, id, team.owner.token, [
        '2026-03-29T00:00:00Z', // 01:00 CET
        '2026-03-29T00:59:00Z', // 01:59 CET
        '2026-03-29T01:00:00Z', // 03:00 CEST
      ]),
    ).toEqual({ '2026-03-29T00:00:00Z': true, '2026-03-29T00:59:00Z': true, '2026-03-29T01:00:00Z': false });
    expect((await routing(team.workspaceId, id, team.owner.token, '2026-03-29T01:00:00Z')).localTime).toBe(
      '2026-03-29T03:00:00+02:00',
    );

    await paris({ start: '02:00', end: '03:00' });
    // The local day of 2026-03-29 runs from 23:00Z (CET) to 22:00Z (CEST): the 02:xx hour never comes.
    const spring = await openAt(team.workspaceId, id, team.owner.token, [
      ...instantsBetween('2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', 15),
      ...instantsBetween('2026-03-29T00:50:00Z', '2026-03-29T01:10:00Z', 1),
    ]);
    expect(Object.entries(spring).filter(([, open]) => open)).toEqual([]);
    // On the fall-back night, 02:xx comes twice (CEST, then CET), and both are open.
    expect(
      await openAt(team.workspaceId, id, team.owner.token, [
        '2026-10-24T23:59:00Z', // 01:59 CEST
        '2026-10-25T00:00:00Z', // 02:00 CEST
        '2026-10-25T00:30:00Z', // 02:30 CEST
        '2026-10-25T01:00:00Z', // 02:00 CET
        '2026-10-25T01:30:00Z', // 02:30 CET
        '2026-10-25T01:59:00Z', // 02:59 CET
        '2026-10-25T02:00:00Z', // 03:00 CET
      ]),
    ).toEqual({
      '2026-10-24T23:59:00Z': false,
      '2026-10-25T00:00:00Z': true,
      '2026-10-25T00:30:00Z': true,
      '2026-10-25T01:00:00Z': true,
      '2026-10-25T01:30:00Z': true,
      '2026-10-25T01:59:00Z': true,
      '2026-10-25T02:00:00Z': false,
    });
    expect((await routing(team.workspaceId, id, team.owner.token, '2026-10-25T00:30:00Z')).localTime).toBe(
      '2026-10-25T02:30:00+02:00',
    );
    expect((await routing(team.workspaceId, id, team.owner.token, '2026-10-25T01:30:00Z')).localTime).toBe(
      '2026-10-25T02:30:00+01:00',
    );
  });

  it('24:00 ends the local day, whether it lasts 23, 24 or 25 hours', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    // Sundays only, all day: 2026-03-08 (23 h) and 2026-11-01 (25 h) in New York are Sundays.
    await setHours(
      team.workspaceId,
      id,
      team.owner.token,
      hours('America/New_York', { sunday: [{ start: '00:00', end: '24:00' }] }),
    );
    expect(
      await openAt(team.workspaceId, id, team.owner.token, [
        '2026-03-08T04:59:00Z', // Sat 23:59 EST
        '2026-03-08T05:00:00Z', // Sun 00:00 EST
        '2026-03-09T03:59:00Z', // Sun 23:59 EDT
        '2026-03-09T04:00:00Z', // Mon 00:00 EDT
        '2026-11-01T03:59:00Z', // Sat 23:59 EDT
        '2026-11-01T04:00:00Z', // Sun 00:00 EDT
        '2026-11-02T04:59:00Z', // Sun 23:59 EST (the 25th hour is in)
        '2026-11-02T05:00:00Z', // Mon 00:00 EST
      ]),
    ).toEqual({
      '2026-03-08T04:59:00Z': false,
      '2026-03-08T05:00:00Z': true,
      '2026-03-09T03:59:00Z': true,
      '2026-03-09T04:00:00Z': false,
      '2026-11-01T03:59:00Z': false,
      '2026-11-01T04:00:00Z': true,
      '2026-11-02T04:59:00Z': true,
      '2026-11-02T05:00:00Z': false,
    });
    // Evening to midnight on an ordinary Monday.
    await setHours(
      team.workspaceId,
      id,
      team.owner.token,
      hours('Europe/Paris', { monday: [{ start: '22:00', end: '24:00' }] }),
    );
    expect(
      await openAt(team.workspaceId, id, team.owner.token, [
        '2026-06-15T19:59:00Z', // 21:59 CEST
        '2026-06-15T20:00:00Z', // 22:00
        '2026-06-15T21:59:00Z', // 23:59
        '2026-06-15T22:00:00Z', // Tue 00:00
      ]),
    ).toEqual({
      '2026-06-15T19:59:00Z': false,
      '2026-06-15T20:00:00Z': true,
      '2026-06-15T21:59:00Z': true,
      '2026-06-15T22:00:00Z': false,
    });
  });

  it('closes in the gap of a split shift (start included, end excluded)', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    await setHours(
      team.workspaceId,
      id,
      team.owner.token,
      hours('Europe/Paris', {
        monday: [
          { start: '09:00', end: '12:00' },
          { start: '13:30', end: '18:00' },
        ],
      }),
    );
    // 2026-06-15 is a Monday; Paris is UTC+2 in June.
    expect(
      await openAt(team.workspaceId, id, team.owner.token, [
        '2026-06-15T06:59:00Z', // 08:59
        '2026-06-15T07:00:00Z', // 09:00
        '2026-06-15T09:59:00Z', // 11:59
        '2026-06-15T10:00:00Z', // 12:00
        '2026-06-15T10:45:00Z', // 12:45
        '2026-06-15T11:29:00Z', // 13:29
        '2026-06-15T11:30:00Z', // 13:30
        '2026-06-15T15:59:00Z', // 17:59
        '2026-06-15T16:00:00Z', // 18:00
        '2026-06-16T08:00:00Z', // Tuesday 10:00: no hours that day
      ]),
    ).toEqual({
      '2026-06-15T06:59:00Z': false,
      '2026-06-15T07:00:00Z': true,
      '2026-06-15T09:59:00Z': true,
      '2026-06-15T10:00:00Z': false,
      '2026-06-15T10:45:00Z': false,
      '2026-06-15T11:29:00Z': false,
      '2026-06-15T11:30:00Z': true,
      '2026-06-15T15:59:00Z': true,
      '2026-06-15T16:00:00Z': false,
      '2026-06-16T08:00:00Z': false,
    });
  });

  it('a dated override replaces the day, keyed by the local date: a holiday closed all day, and partial hours', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    await setHours(
      team.workspaceId,
      id,
      team.owner.token,
      hours('America/New_York', everyDay({ start: '08:00', end: '24:00' }), [
        { date: '2026-12-24', intervals: [{ start: '09:00', end: '13:00' }], note: 'Christmas Eve' },
        { date: '2026-12-25', intervals: [], note: 'Christmas' },
      ]),
    );
    expect(
      await openAt(team.workspaceId, id, team.owner.token, [
        '2026-12-23T23:00:00Z', // Dec 23 18:00 EST, weekly
        '2026-12-24T13:30:00Z', // Dec 24 08:30: the override starts at 09:00
        '2026-12-24T14:00:00Z', // Dec 24 09:00
        '2026-12-24T17:59:00Z', // Dec 24 12:59
        '2026-12-24T18:00:00Z', // Dec 24 13:00
        '2026-12-24T22:30:00Z', // Dec 24 17:30
        '2026-12-25T04:30:00Z', // Dec 24 23:30 local (Dec 25 in UTC): still Christmas Eve's hours
        '2026-12-25T15:00:00Z', // Dec 25 10:00: closed all day
        '2026-12-26T04:30:00Z', // Dec 25 23:30 local
        '2026-12-26T15:00:00Z', // Dec 26 10:00, weekly again
      ]),
    ).toEqual({
      '2026-12-23T23:00:00Z': true,
      '2026-12-24T13:30:00Z': false,
      '2026-12-24T14:00:00Z': true,
      '2026-12-24T17:59:00Z': true,
      '2026-12-24T18:00:00Z': false,
      '2026-12-24T22:30:00Z': false,
      '2026-12-25T04:30:00Z': false,
      '2026-12-25T15:00:00Z': false,
      '2026-12-26T04:30:00Z': false,
      '2026-12-26T15:00:00Z': true,
    });
    // "Who would ring on Christmas Eve at 17:30?" Nobody: closed, the after-hours action.
    const eve = await routing(team.workspaceId, id, team.owner.token, '2026-12-24T17:30:00-05:00');
    expect(eve).toMatchObject({ open: false, waves: [] });
    expect(eve.then).toEqual({ action: 'voicemail', forwardTo: null });
    const morning = await routing(team.workspaceId, id, team.owner.token, '2026-12-24T10:00:00-05:00');
    expect(morning).toMatchObject({ open: true, waves: [[team.member.userId]] });
  });
});

describe.concurrent('team availability', () => {
  const nineToFive = hours('America/New_York', everyDay({ start: '09:00', end: '17:00' }));

  it('is set by the member themselves or by an owner or admin, not by another member', async () => {
    const team = await createTeam(api);
    const [other] = (await moreMembers(team.workspaceId, 1)) as [TestUser];
    const own = await setAvailability(team.workspaceId, team.member, team.member, nineToFive);
    expect(own).toMatchObject({ userId: team.member.userId, availability: nineToFive });
    const byAdmin = await setAvailability(team.workspaceId, team.admin, team.member, null);
    expect(byAdmin.availability).toBeNull();
    const byOwner = await setAvailability(team.workspaceId, team.owner, team.admin, nineToFive);
    expect(byOwner.availability).toEqual(nineToFive);
    const byMember = await api.put(availabilityPath(team.workspaceId, team.member.userId), other.token, {
      availability: nineToFive,
    });
    expect(byMember.status).toBe(403);
    const byOutsider = await api.put(
      availabilityPath(team.workspaceId, team.member.userId),
      team.outsider.token,
      {
        availability: nineToFive,
      },
    );
    expect([403, 404]).toContain(byOutsider.status);
    const shown = await api.get(
      `/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`,
      team.owner.token,
    );
    expect(shown.body.data.availability).toBeNull();
    // Validated as business hours are.
    expectFieldError(
      await api.put(availabilityPath(team.workspaceId, team.member.userId), team.member.token, {
        availability: hours('Nowhere/Land', {}),
      }),
      'availability.timeZone',
    );
  });

  it('rings only holders available at that instant, whether set before or after the grant; null is always', async () => {
    const team = await createTeam(api);
    const [early] = (await moreMembers(team.workspaceId, 1)) as [TestUser];
    const id = await addNumber(api, team.workspaceId, team.owner);
    // Set before the grant: copied with it.
    await setAvailability(team.workspaceId, early, early, nineToFive);
    await grant(api, team.workspaceId, id, team.owner, team.member, 'shared');
    await grant(api, team.workspaceId, id, team.owner, early, 'shared');
    // Set after the grant (by an admin): copied onto the number.
    await setAvailability(team.workspaceId, team.admin, team.member, nineToFive);
    const evening = '2026-06-15T23:00:00Z'; // 19:00 EDT
    const noon = juneMondayNoonNewYork;
    expect((await routing(team.workspaceId, id, team.owner.token, evening)).waves).toEqual([]);
    expect((await routing(team.workspaceId, id, team.owner.token, noon)).waves).toEqual([
      ids(team.member, early),
    ]);
    const service = await serviceToken(api);
    const internal = await internalRoutingResponse(team.workspaceId, id, service, evening);
    expect(internal.body.data.waves).toEqual([]);
    expect(internal.body.data.notifications).toEqual({});
    // Back to always available.
    await setAvailability(team.workspaceId, team.member, team.member, null);
    const later = await routing(team.workspaceId, id, team.owner.token, evening);
    expect(later.open).toBe(true);
    expect(later.waves).toEqual([ids(team.member)]);
    expect(Object.keys(later.notifications)).toEqual([team.member.userId]);
  });

  it('is at most 2 KB as JSON (400 on availability)', async () => {
    const team = await createTeam(api);
    const dates = (count: number) =>
      Array.from({ length: count }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    const small = hours(
      'Europe/Paris',
      everyDay({ start: '09:00', end: '17:00' }),
      dates(10).map((date) => ({ date, intervals: [] })),
    );
    expect(Buffer.byteLength(JSON.stringify(small))).toBeLessThan(2048);
    await setAvailability(team.workspaceId, team.member, team.member, small);
    const large = hours(
      'Europe/Paris',
      {},
      dates(80).map((date) => ({ date, intervals: [] })),
    );
    expect(Buffer.byteLength(JSON.stringify(large))).toBeGreaterThan(2048);
    const refused = await api.put(availabilityPath(team.workspaceId, team.member.userId), team.member.token, {
      availability: large,
    });
    expectFieldError(refused, 'availability');
    const kept = await api.get(
      `/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`,
      team.owner.token,
    );
    expect(kept.body.data.availability).toEqual(small);
  });
});

describe.concurrent('ring order', () => {
  it('starter: custom is refused with PLAN_FEATURE_UNAVAILABLE, checked before the order', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    for (const body of [
      { mode: 'custom', order: ['nobody-at-all'] },
      { mode: 'custom', order: [] },
      { mode: 'custom' },
      { mode: 'custom', order: [team.member.userId] },
    ]) {
      const refused = await api.put(ringOrderPath(team.workspaceId, id), team.owner.token, body);
      expect(refused.status, JSON.stringify(body)).toBe(403);
      expect(refused.body.code).toBe('PLAN_FEATURE_UNAVAILABLE');
    }
    // The other modes are fine on starter.
    const random = await setRingOrder(team.workspaceId, id, team.owner, { mode: 'random', groupSize: 3 });
    expect(random.ringOrder).toEqual({ mode: 'random', groupSize: 3, order: null });
  });

  it('business: a custom order must name exactly the use-access holders, once each', async () => {
    const team = await teamOn('business');
    const [reader, stranger] = (await moreMembers(team.workspaceId, 2)) as [TestUser, TestUser];
    const id = await addNumber(api, team.workspaceId, team.owner);
    await grant(api, team.workspaceId, id, team.owner, team.member, 'shared');
    await grant(api, team.workspaceId, id, team.owner, team.admin, 'shared');
    await grant(api, team.workspaceId, id, team.owner, reader, 'read-only');
    const [m, a] = [team.member.userId, team.admin.userId];
    const bad: [unknown, string][] = [
      [{ mode: 'custom' }, 'order'],
      [{ mode: 'custom', order: [] }, 'order'],
      [{ mode: 'custom', order: [m] }, 'order'],
      [{ mode: 'custom', order: [m, a, m] }, 'order.2'],
      [{ mode: 'custom', order: [m, a, reader.userId] }, 'order.2'],
      [{ mode: 'custom', order: [m, a, stranger.userId] }, 'order.2'],
      [{ mode: 'custom', order: [m, a], groupSize: 2 }, 'groupSize'],
      [{ mode: 'all-at-once', order: [m, a] }, 'order'],
    ];
    for (const [body, path] of bad) {
      expectFieldError(await api.put(ringOrderPath(team.workspaceId, id), team.owner.token, body), path);
    }
    const unchanged = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(unchanged.body.data.ringOrder).toEqual({ mode: 'all-at-once', groupSize: null, order: null });
  });

  it('business: a custom order of nobody, on a number nobody uses yet, is taken (and a holder added later is appended)', async () => {
    const team = await teamOn('business');
    const id = await addNumber(api, team.workspaceId, team.owner);
    const empty = await api.put(`${numberPath(team.workspaceId, id)}/ring-order`, team.owner.token, {
      mode: 'custom',
      order: [],
    });
    expect(empty.status).toBe(200);
    expect(empty.body.data.ringOrder).toEqual({ mode: 'custom', groupSize: null, order: [] });
    await grant(api, team.workspaceId, id, team.owner, team.member, 'shared');
    const after = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(after.body.data.ringOrder.order).toEqual([team.member.userId]);
  });

  it('business: custom rings one at a time in that order; a revoked holder drops out, a new one is appended', async () => {
    const team = await teamOn('business');
    const [third, fourth, reader] = (await moreMembers(team.workspaceId, 3)) as [
      TestUser,
      TestUser,
      TestUser,
    ];
    const id = await addNumber(api, team.workspaceId, team.owner);
    await grant(api, team.workspaceId, id, team.owner, team.member, 'shared');
    await grant(api, team.workspaceId, id, team.owner, team.admin, 'shared');
    await grant(api, team.workspaceId, id, team.owner, third, 'shared');
    await grant(api, team.workspaceId, id, team.owner, reader, 'read-only');
    const order = ids(third, team.member, team.admin);
    const set = await setRingOrder(team.workspaceId, id, team.owner, { mode: 'custom', order });
    expect(set.ringOrder).toEqual({ mode: 'custom', groupSize: null, order });
    const wavesNow = async () =>
      (await routing(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork)).waves;
    const orderNow = async () =>
      (await api.get(numberPath(team.workspaceId, id), team.owner.token)).body.data.ringOrder;
    expect(await wavesNow()).toEqual(order.map((userId) => [userId]));

    // Revoked: dropped.
    expect(
      (await api.del(accessPath(team.workspaceId, id, team.member.userId), team.owner.token)).status,
    ).toBe(204);
    expect((await orderNow()).order).toEqual(ids(third, team.admin));
    expect(await wavesNow()).toEqual([[third.userId], [team.admin.userId]]);
    // Granted: appended at the end.
    await grant(api, team.workspaceId, id, team.owner, fourth, 'shared');
    expect(await orderNow()).toEqual({
      mode: 'custom',
      groupSize: null,
      order: ids(third, team.admin, fourth),
    });
    expect(await wavesNow()).toEqual([[third.userId], [team.admin.userId], [fourth.userId]]);
    // Down to read-only: out of the order; a read-only viewer is never in it.
    await grant(api, team.workspaceId, id, team.owner, team.admin, 'read-only');
    expect((await orderNow()).order).toEqual(ids(third, fourth));
    expect(await wavesNow()).toEqual([[third.userId], [fourth.userId]]);
    // An unavailable holder is skipped; the others keep their places.
    await setAvailability(team.workspaceId, third, third, hours('America/New_York', {}));
    expect(await wavesNow()).toEqual([[fourth.userId]]);
    // A new custom order of the holders as they are now is accepted.
    const reordered = ids(fourth, third);
    expect(
      (await setRingOrder(team.workspaceId, id, team.owner, { mode: 'custom', order: reordered })).ringOrder
        .order,
    ).toEqual(reordered);

    const events = (await auditLog(api, team.workspaceId, team.owner.token)).filter(
      (event) => event.target.id === id && event.action === 'phoneNumber.ringOrderChanged',
    );
    expect(events).toHaveLength(2);
    expect(events[1]?.before).toEqual({ mode: 'all-at-once', groupSize: null, order: null });
    expect(events[1]?.after).toEqual({ mode: 'custom', groupSize: null, order });
    expect(events[0]?.after).toEqual({ mode: 'custom', groupSize: null, order: reordered });
  });

  it('business: a holder removed from a custom order and granted again is appended at the end, like any new holder', async () => {
    const team = await teamOn('business');
    const [third, fourth] = (await moreMembers(team.workspaceId, 2)) as [TestUser, TestUser];
    const id = await addNumber(api, team.workspaceId, team.owner);
    await grant(api, team.workspaceId, id, team.owner, team.member, 'shared');
    await grant(api, team.workspaceId, id, team.owner, team.admin, 'shared');
    await grant(api, team.workspaceId, id, team.owner, third, 'shared');
    await setRingOrder(team.workspaceId, id, team.owner, {
      mode: 'custom',
      order: ids(third, team.member, team.admin),
    });
    const orderNow = async () =>
      (await api.get(numberPath(team.workspaceId, id), team.owner.token)).body.data.ringOrder.order;
    const wavesNow = async () =>
      (await routing(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork)).waves;
    // Revoked: dropped. Then a new holder: appended.
    await api.del(accessPath(team.workspaceId, id, team.member.userId), team.owner.token);
    await grant(api, team.workspaceId, id, team.owner, fourth, 'shared');
    expect(await orderNow()).toEqual(ids(third, team.admin, fourth));
    // Granted again: a new holder of the number, so at the end; the order the others had stays.
    await grant(api, team.workspaceId, id, team.owner, team.member, 'shared');
    expect(await orderNow()).toEqual(ids(third, team.admin, fourth, team.member));
    expect(await wavesNow()).toEqual(ids(third, team.admin, fourth, team.member).map((userId) => [userId]));
    // The same for a holder who went read-only and came back.
    await grant(api, team.workspaceId, id, team.owner, team.admin, 'read-only');
    expect(await orderNow()).toEqual(ids(third, fourth, team.member));
    await grant(api, team.workspaceId, id, team.owner, team.admin, 'shared');
    expect(await orderNow()).toEqual(ids(third, fourth, team.member, team.admin));
  });

  it('random: groupSize 1 to 10, in waves of that size covering every available holder once', async () => {
    const team = await createTeam(api);
    const people = await moreMembers(team.workspaceId, 5);
    const away = people[4] as TestUser;
    const id = await addNumber(api, team.workspaceId, team.owner);
    for (const person of people) await grant(api, team.workspaceId, id, team.owner, person, 'shared');
    await grant(api, team.workspaceId, id, team.owner, team.admin, 'read-only');
    await setAvailability(team.workspaceId, away, away, hours('UTC', {}));
    for (const body of [
      { mode: 'random' },
      { mode: 'random', groupSize: 0 },
      { mode: 'random', groupSize: 11 },
      { mode: 'random', groupSize: 2.5 },
      { mode: 'all-at-once', groupSize: 2 },
    ]) {
      expectFieldError(
        await api.put(ringOrderPath(team.workspaceId, id), team.owner.token, body),
        'groupSize',
      );
    }
    const set = await setRingOrder(team.workspaceId, id, team.owner, { mode: 'random', groupSize: 2 });
    expect(set.ringOrder).toEqual({ mode: 'random', groupSize: 2, order: null });
    const available = ids(...people.slice(0, 4)).sort();
    for (let attempt = 0; attempt < 5; attempt++) {
      const { waves, notifications } = await routing(
        team.workspaceId,
        id,
        team.owner.token,
        juneMondayNoonNewYork,
      );
      expect(waves.map((wave: string[]) => wave.length)).toEqual([2, 2]);
      expect(waves.flat().sort()).toEqual(available);
      expect(Object.keys(notifications).sort()).toEqual(available);
    }
    await setRingOrder(team.workspaceId, id, team.owner, { mode: 'random', groupSize: 3 });
    const threes = await routing(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork);
    expect(threes.waves.map((wave: string[]) => wave.length)).toEqual([3, 1]);
    expect(threes.waves.flat().sort()).toEqual(available);
    // Fewer holders than groupSize: one wave.
    await setRingOrder(team.workspaceId, id, team.owner, { mode: 'random', groupSize: 10 });
    const one = await routing(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork);
    expect(one.waves).toHaveLength(1);
    expect(one.waves[0].slice().sort()).toEqual(available);
    await setRingOrder(team.workspaceId, id, team.owner, { mode: 'random', groupSize: 1 });
    const singles = await routing(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork);
    expect(singles.waves.map((wave: string[]) => wave.length)).toEqual([1, 1, 1, 1]);
    expect(singles.waves.flat().sort()).toEqual(available);
  });

  it('all-at-once with more than 10 holders (business) rings in waves of 10, in the order access was granted', async () => {
    const team = await teamOn('business');
    const people = await moreMembers(team.workspaceId, 13);
    const id = await addNumber(api, team.workspaceId, team.owner);
    // Granted one after the other, so that each has its own `since`.
    for (const person of people) await grant(api, team.workspaceId, id, team.owner, person, 'shared');
    await grant(api, team.workspaceId, id, team.owner, team.admin, 'read-only');
    const number = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(number.body.data.members).toHaveLength(14);
    const answer = await routing(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork);
    expect(answer.waves).toEqual([ids(...people.slice(0, 10)), ids(...people.slice(10))]);
    expect(Object.keys(answer.notifications).sort()).toEqual(ids(...people).sort());
    // The same after going through random and back.
    await setRingOrder(team.workspaceId, id, team.owner, { mode: 'random', groupSize: 10 });
    const back = await setRingOrder(team.workspaceId, id, team.owner, { mode: 'all-at-once' });
    expect(back.ringOrder).toEqual({ mode: 'all-at-once', groupSize: null, order: null });
    expect((await routing(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork)).waves).toEqual([
      ids(...people.slice(0, 10)),
      ids(...people.slice(10)),
    ]);
  });
});

describe.concurrent('personal notifications', () => {
  it('only a holder, for themselves; partial updates keep the other flags; routing and the decision show them', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    const [reader, bystander] = (await moreMembers(team.workspaceId, 2)) as [TestUser, TestUser];
    await grant(api, team.workspaceId, id, team.owner, reader, 'read-only');
    const put = (by: TestUser, body: unknown) =>
      api.put(notificationsPath(team.workspaceId, id), by.token, body);

    // A manager without an entry: 403; a member who holds nothing: 404.
    const admin = await put(team.admin, { calls: false });
    expect(admin.status).toBe(403);
    expect(admin.body.code).toBe('NUMBER_HOLDER_REQUIRED');
    const owner = await put(team.owner, { calls: false });
    expect(owner.status).toBe(403);
    expect(owner.body.code).toBe('NUMBER_HOLDER_REQUIRED');
    const stranger = await put(bystander, { calls: false });
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe('NUMBER_NOT_FOUND');

    const first = await put(team.member, { calls: false });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({
      userId: team.member.userId,
      access: 'shared',
      notifications: { calls: false, messages: true, voicemail: true },
    });
    const second = await put(team.member, { voicemail: false });
    expect(second.body.data.notifications).toEqual({ calls: false, messages: true, voicemail: false });
    const third = await put(team.member, { calls: true, messages: false });
    expect(third.body.data.notifications).toEqual({ calls: true, messages: false, voicemail: false });
    expectFieldError(await put(team.member, { calls: 'no' }), 'calls');
    // A read-only viewer holds the number too, and sets only their own.
    const readerOff = await put(reader, { messages: false });
    expect(readerOff.status).toBe(200);
    expect(readerOff.body.data.notifications).toEqual({ calls: true, messages: false, voicemail: true });

    const number = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    const entries = Object.fromEntries(
      number.body.data.members.map((entry: { userId: string; notifications: unknown }) => [
        entry.userId,
        entry.notifications,
      ]),
    );
    expect(entries).toEqual({
      [team.member.userId]: { calls: true, messages: false, voicemail: false },
      [reader.userId]: { calls: true, messages: false, voicemail: true },
    });

    const decision = await api.get(`${numberPath(team.workspaceId, id)}/can?action=call`, team.member.token);
    expect(decision.status).toBe(200);
    expect(decision.body.data).toMatchObject({
      allowed: true,
      reason: 'SHARED_ACCESS',
      notifications: { calls: true, messages: false, voicemail: false },
    });
    const service = await serviceToken(api);
    const internal = await api.get(
      `/internal${numberPath(team.workspaceId, id)}/can?userId=${reader.userId}&action=view`,
      service,
    );
    expect(internal.body.data).toMatchObject({
      allowed: true,
      reason: 'READ_ONLY_ACCESS',
      notifications: { calls: true, messages: false, voicemail: true },
    });
    const none = await api.get(`${numberPath(team.workspaceId, id)}/can?action=call`, team.admin.token);
    expect(none.body.data).toMatchObject({ allowed: false, reason: 'NO_ACCESS', notifications: null });

    const routed = await routing(team.workspaceId, id, team.owner.token, juneMondayNoonNewYork);
    expect(routed.notifications).toEqual({
      [team.member.userId]: { calls: true, messages: false, voicemail: false },
    });
  });
});
