import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAudience } from '../../../scripts/local/service-identity';
import { phoneNumberKey } from '../../../shared/db/keys';
import type { PhoneNumberItem } from '../../../shared/features/numbers/items';
import { routes as numberRoutes } from '../../../shared/features/numbers/routes';
import type { RouteDefinition } from '../../../shared/http/route';
import { type RouteName, routes } from '../../../shared/routes';
import { type ApiResponse, startTestApi, type TestApi, type TestUser } from '../../support/api';
import { auditLog } from '../../support/audit';
import { expectBadBodiesRefused, expectErrorBody, hostileString } from '../../support/fuzz';
import {
  accessPath,
  addNumber,
  grant,
  newNumber,
  numberPath,
  numbersPath,
  serviceToken,
} from '../../support/numbers';
import { sampleRequests } from '../../support/samples';
import { createTeam, seedMember, type Team } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

type NumberRouteName = keyof typeof numberRoutes;
const numberRouteNames = Object.keys(numberRoutes) as NumberRouteName[];
const routeOf = (name: NumberRouteName): RouteDefinition => numberRoutes[name];
const levels = ['exclusive', 'shared', 'read-only'] as const;
const usesNumber = (access: string | undefined) => access === 'exclusive' || access === 'shared';

const memberUrl = (workspaceId: string, userId: string) => `/v1/workspaces/${workspaceId}/members/${userId}`;

/** A number, the workspace's list, a holder's lines and the audit log's length: what a refused request must leave as it was. */
async function snapshot(team: Team, phoneNumberId: string) {
  const [number, list, holder, audit] = await Promise.all([
    api.get(numberPath(team.workspaceId, phoneNumberId), team.owner.token),
    api.get(`${numbersPath(team.workspaceId)}?limit=100`, team.owner.token),
    api.get(memberUrl(team.workspaceId, team.member.userId), team.owner.token),
    auditLog(api, team.workspaceId, team.owner.token),
  ]);
  return {
    number: number.body,
    list: (list.body.data as { id: string }[]).map((item) => item.id),
    lines: holder.body.data.phoneNumbers,
    auditEvents: audit.length,
  };
}

/** The number's item as stored: what D4's conditions read. */
async function storedNumber(workspaceId: string, phoneNumberId: string) {
  const { Item } = await api.documents.send(
    new GetCommand({
      TableName: api.tableName,
      Key: phoneNumberKey(workspaceId, phoneNumberId),
      ConsistentRead: true,
    }),
  );
  return Item as PhoneNumberItem | undefined;
}

/** useCount and exclusiveHolder agree with the entries, and D4 holds. */
function expectCountsAgree(item: PhoneNumberItem) {
  const entries = Object.entries(item.members);
  const using = entries.filter(([, holder]) => usesNumber(holder.access));
  const exclusive = entries.filter(([, holder]) => holder.access === 'exclusive');
  expect(item.useCount, JSON.stringify(item.members)).toBe(using.length);
  expect(item.exclusiveHolder, JSON.stringify(item.members)).toBe(exclusive[0]?.[0]);
  expect(exclusive.length).toBeLessThanOrEqual(1);
  if (exclusive.length === 1) expect(using).toHaveLength(1);
}

describe.concurrent('another workspace’s numbers', () => {
  const inPath = numberRouteNames.filter((name) => routeOf(name).path.includes('{phoneNumberId}'));

  it('covers every route of the numbers feature', () => {
    expect(new Set([...inPath, 'listPhoneNumbers', 'addPhoneNumber', 'findPhoneNumber'])).toEqual(
      new Set(numberRouteNames),
    );
  });

  it.each(inPath)(
    '%s: another workspace’s number id in the path is 404, and nothing changes there',
    async (name) => {
      const [ours, theirs] = await Promise.all([
        createTeam(api, 'Acme', { withNumber: true }),
        createTeam(api, 'Globex', { withNumber: true }),
      ]);
      const route = routeOf(name);
      const ourNumber = ours.phoneNumberId as string;
      const theirNumber = theirs.phoneNumberId as string;
      // Someone in both workspaces, with no access to the other one's number.
      await seedMember(api, theirs.workspaceId, ours.admin, 'member');
      const before = await snapshot(theirs, theirNumber);
      const sample = sampleRequests[name as RouteName](ours);
      const swap = (path: string) => path.replace(ourNumber, theirNumber);
      const attempts: { path: string; token: string; who: string; codes: string[] }[] = [];
      const found = ['NUMBER_NOT_FOUND', 'WORKSPACE_NOT_FOUND'];
      if (route.access === 'service') {
        const service = await serviceToken(api);
        attempts.push(
          { path: swap(sample.path), token: service, who: 'service, our workspace', codes: found },
          {
            path: sample.path.replace(ours.workspaceId, theirs.workspaceId),
            token: service,
            who: 'service, their workspace with our number',
            codes: found,
          },
        );
      } else {
        for (const who of ['owner', 'admin', 'member'] as const) {
          attempts.push({ path: swap(sample.path), token: ours[who].token, who, codes: found });
        }
        if (sample.path.includes(ours.member.userId)) {
          attempts.push({
            path: swap(sample.path).replace(ours.member.userId, theirs.member.userId),
            token: ours.owner.token,
            who: 'owner, their member too',
            codes: [...found, 'MEMBER_NOT_FOUND'],
          });
        }
        attempts.push(
          {
            path: swap(sample.path).replace(ours.workspaceId, theirs.workspaceId),
            token: ours.owner.token,
            who: 'our owner, their workspace',
            codes: ['WORKSPACE_NOT_FOUND'],
          },
          {
            path: swap(sample.path),
            token: theirs.owner.token,
            who: 'their owner, our workspace',
            codes: ['WORKSPACE_NOT_FOUND'],
          },
          {
            path: swap(sample.path).replace(ours.workspaceId, theirs.workspaceId),
            token: ours.admin.token,
            who: 'a plain member of theirs who holds nothing there',
            codes: ['NUMBER_NOT_FOUND'],
          },
        );
      }
      for (const attempt of attempts) {
        const response = await api.request(route.method, attempt.path, {
          token: attempt.token,
          body: sample.body,
        });
        expect(response.status, `${attempt.who}: ${JSON.stringify(response.body)}`).toBe(404);
        expect(attempt.codes, attempt.who).toContain(response.body.code);
        expectErrorBody(response, attempt.who);
      }
      expect(await snapshot(theirs, theirNumber)).toEqual(before);
      // Our own number is still ours, untouched by the attempts on theirs.
      expect((await api.get(numberPath(ours.workspaceId, ourNumber), ours.owner.token)).status).toBe(200);
    },
  );

  it('listPhoneNumbers: never lists their numbers, and their member is no member here (404)', async () => {
    const [ours, theirs] = await Promise.all([
      createTeam(api, 'Acme', { withNumber: true }),
      createTeam(api, 'Globex', { withNumber: true }),
    ]);
    for (const user of [ours.owner, ours.admin, ours.member]) {
      const listed = await api.get(`${numbersPath(ours.workspaceId)}?limit=100`, user.token);
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((number: { id: string }) => number.id)).toEqual([ours.phoneNumberId]);
    }
    const theirMember = await api.get(
      `${numbersPath(ours.workspaceId)}?userId=${theirs.member.userId}`,
      ours.owner.token,
    );
    expect(theirMember.status).toBe(404);
    expect(theirMember.body.code).toBe('MEMBER_NOT_FOUND');
    const theirList = await api.get(numbersPath(theirs.workspaceId), ours.owner.token);
    expect(theirList.status).toBe(404);
    expect(theirList.body.code).toBe('WORKSPACE_NOT_FOUND');
  });

  it('addPhoneNumber: their number cannot be added here (409 NUMBER_TAKEN), and stays theirs', async () => {
    const [ours, theirs] = await Promise.all([
      createTeam(api, 'Acme'),
      createTeam(api, 'Globex', { withNumber: true }),
    ]);
    const theirNumber = theirs.phoneNumberId as string;
    const before = await snapshot(theirs, theirNumber);
    const e164 = before.number.data.number as string;
    const national = `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
    for (const spelling of [
      e164,
      `+1 ${national}`,
      ` ${e164} `,
      `+1-${e164.slice(2, 5)}-${e164.slice(5, 8)}-${e164.slice(8)}`,
    ]) {
      const response = await api.post(numbersPath(ours.workspaceId), ours.owner.token, { number: spelling });
      expect(response.status, spelling).toBe(409);
      expect(response.body.code).toBe('NUMBER_TAKEN');
    }
    expect(await snapshot(theirs, theirNumber)).toEqual(before);
    const found = await api.get(
      `/internal/v1/phone-numbers/${encodeURIComponent(e164)}`,
      await serviceToken(api),
    );
    expect(found.body.data).toEqual({ workspaceId: theirs.workspaceId, phoneNumberId: theirNumber });
  });
});

describe.concurrent('user tokens and the service token never cross', () => {
  const names = Object.keys(routes) as RouteName[];
  const internal = names.filter((name) => routes[name].access === 'service');
  const user = names.filter((name) => !['service', 'public'].includes(routes[name].access));

  it('internal routes refuse every user token, an owner’s included, and a user token minted for the internal audience (401)', async () => {
    expect(internal.length).toBeGreaterThan(0);
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const internalAudience = (
      await api.issuer.sign({
        email: team.owner.email,
        sub: team.owner.userId,
        audience: serviceAudience(api.issuer.audience),
      })
    ).token;
    const tokens: [string, string][] = [
      ['owner', team.owner.token],
      ['admin', team.admin.token],
      ['member', team.member.token],
      ['outsider', team.outsider.token],
      ['user token, internal audience', internalAudience],
    ];
    for (const name of internal) {
      const route = routes[name] as RouteDefinition;
      const sample = sampleRequests[name](team);
      for (const [who, token] of tokens) {
        const response = await api.request(route.method, sample.path, { token, body: sample.body });
        expect(response.status, `${name} with ${who}`).toBe(401);
        expect(response.body.code).toBe('UNAUTHORIZED');
        expectErrorBody(response, `${name} with ${who}`);
      }
      // The service token itself gets through (the refusals above are about the token).
      const allowed = await api.request(route.method, sample.path, {
        token: await serviceToken(api),
        body: sample.body,
      });
      expect(allowed.status, name).not.toBe(401);
    }
  });

  it('user routes refuse the service token (401)', async () => {
    const team = await createTeam(api, 'Acme', {
      withNumber: true,
      withInvitation: true,
      withSuppression: true,
    });
    const service = await serviceToken(api);
    for (const name of user) {
      const route = routes[name] as RouteDefinition;
      const sample = sampleRequests[name](team);
      const response = await api.request(route.method, sample.path, { token: service, body: sample.body });
      expect(response.status, name).toBe(401);
      expect(response.body.code).toBe('UNAUTHORIZED');
    }
    // Nothing moved: the number is still there with its holder.
    const number = await api.get(
      numberPath(team.workspaceId, team.phoneNumberId as string),
      team.owner.token,
    );
    expect(number.body.data.members).toEqual([expect.objectContaining({ userId: team.member.userId })]);
  });
});

describe.concurrent('generated bodies and queries', () => {
  const bodyRoutes = numberRouteNames.filter((name) => routeOf(name).input.body !== undefined);

  it('fuzzes every numbers route that takes a body', () => {
    expect(new Set(bodyRoutes)).toEqual(
      new Set([
        'addPhoneNumber',
        'updatePhoneNumber',
        'setNumberAccess',
        'setNumberNotifications',
        'setRingOrder',
      ]),
    );
    expect(bodyRoutes.every((name) => ['POST', 'PATCH', 'PUT'].includes(routeOf(name).method))).toBe(true);
  });

  it.each(bodyRoutes)(
    '%s: every generated bad body is a 4xx with the error body, and the number is unchanged',
    async (name) => {
      const team = await createTeam(api, 'Acme', { withNumber: true });
      const id = team.phoneNumberId as string;
      const route = routeOf(name);
      const sample = sampleRequests[name as RouteName](team);
      // Notifications are a holder's own; the rest are the owner's to try.
      const token = name === 'setNumberNotifications' ? team.member.token : team.owner.token;
      const before = await snapshot(team, id);
      const send = (rawBody: string) =>
        api.request(route.method, sample.path, {
          token,
          rawBody,
          headers: { 'content-type': 'application/json' },
        });
      await expectBadBodiesRefused(route, sample.body as Record<string, unknown>, send, { numRuns: 15 });
      expect(await snapshot(team, id)).toEqual(before);
    },
  );

  it('semantically odd bodies (forward targets, ring orders, hours, levels) are never a 5xx, and a refusal changes nothing', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const ws = team.workspaceId;
    const id = team.phoneNumberId as string;
    const own = (await api.get(numberPath(ws, id), team.owner.token)).body.data.number as string;
    const userIds = fc.constantFrom(
      team.owner.userId,
      team.admin.userId,
      team.member.userId,
      team.outsider.userId,
      'x',
    );
    const time = fc.oneof(
      fc.constantFrom('00:00', '09:00', '12:00', '17:30', '23:59', '24:00', '24:01', '9:00', '12:60'),
      fc
        .tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))
        .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    );
    const hours = fc.record(
      {
        timeZone: fc.constantFrom(
          'America/New_York',
          'Europe/Paris',
          'UTC',
          'Mars/Olympus',
          'utc',
          '+05:30',
          'Asia/Calcutta',
          '',
        ),
        weekly: fc.dictionary(
          fc.constantFrom('monday', 'tuesday', 'sunday', 'funday'),
          fc.array(fc.record({ start: time, end: time }), { maxLength: 3 }),
        ),
        overrides: fc.array(
          fc.record({
            date: fc.constantFrom('2026-12-24', '2026-02-30', '2026-13-01', '2026-1-1', '2026-12-25'),
            intervals: fc.array(fc.record({ start: time, end: time }), { maxLength: 2 }),
          }),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: [] },
    );
    const outcome = fc.record(
      {
        action: fc.constantFrom('voicemail', 'forward', 'hangup', 'ring'),
        forwardTo: fc.oneof(
          fc.constant(null),
          fc.constant(own),
          fc.constant(newNumber()),
          fc.constantFrom('+1415', '+999123456', '14155550100', ' +14155550100 ', '+44 20 7946 0958'),
        ),
      },
      { requiredKeys: [] },
    );
    const requests = fc.oneof(
      fc
        .record(
          {
            name: fc.oneof(hostileString, fc.constantFrom('Sales', '  Sales  ', '\u200b')),
            callerIdName: fc.oneof(
              fc.constant(null),
              fc.constantFrom('ACME', 'Acme & Co.', 'Ünïcode', 'x'.repeat(16)),
            ),
            businessHours: fc.oneof(fc.constant(null), hours),
            callFlow: fc.record(
              {
                ringTimeoutSeconds: fc.integer({ min: 0, max: 200 }),
                unanswered: outcome,
                afterHours: outcome,
              },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: [] },
        )
        .map((body) => ({ method: 'PATCH', path: numberPath(ws, id), body })),
      fc
        .record(
          {
            mode: fc.constantFrom('all-at-once', 'random', 'custom', 'loud'),
            groupSize: fc.integer({ min: -2, max: 12 }),
            order: fc.array(userIds, { maxLength: 4 }),
          },
          { requiredKeys: ['mode'] },
        )
        .map((body) => ({ method: 'PUT', path: `${numberPath(ws, id)}/ring-order`, body })),
      fc
        .tuple(
          userIds,
          fc.record(
            { access: fc.constantFrom(...levels, 'owner'), numberOwner: fc.boolean() },
            { requiredKeys: ['access'] },
          ),
        )
        .map(([userId, body]) => ({ method: 'PUT', path: accessPath(ws, id, userId), body })),
    );
    let current = await snapshot(team, id);
    await fc.assert(
      fc.asyncProperty(requests, async ({ method, path, body }) => {
        const response = await api.request(method, path, { token: team.owner.token, body });
        const context = `${method} ${path} ${JSON.stringify(body)} → ${response.status} ${JSON.stringify(response.body)}`;
        expect(response.status, context).toBeLessThan(500);
        if (response.status >= 400) {
          expectErrorBody(response, context);
          expect(await snapshot(team, id), context).toEqual(current);
        } else {
          current = await snapshot(team, id);
        }
        expectCountsAgree((await storedNumber(ws, id)) as PhoneNumberItem);
      }),
      { numRuns: 15 },
    );
  });

  /** A value as a query string carries it: every UTF-8 byte percent-encoded. */
  const encoded = (value: string) =>
    [...new TextEncoder().encode(value)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  const atPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
  const queryValue = fc.oneof(
    hostileString.map(encoded),
    // Raw bytes, not necessarily UTF-8.
    fc
      .uint8Array({ minLength: 1, maxLength: 24 })
      .map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
    fc.constantFrom('call', 'text', 'view', 'CALL', 'call%00', 'call,text', 'call+', '%E0%A4%A', '%'),
    // Shaped like an instant, mostly not one: month 13, hour 25, offset +99:99.
    fc.stringMatching(atPattern).map(encoded),
    fc
      .date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => encoded(date.toISOString())),
  );
  const decoded = (fragment: string) => new URLSearchParams(`v=${fragment}`).get('v') ?? '';

  interface QueryCase {
    route: NumberRouteName;
    parameter: 'action' | 'at' | 'userId';
    fixed: Record<string, string>;
    who: 'owner' | 'member' | 'service';
  }
  const queryCases: QueryCase[] = [
    { route: 'canUsePhoneNumber', parameter: 'action', fixed: {}, who: 'member' },
    { route: 'decideNumberUse', parameter: 'action', fixed: { userId: 'member' }, who: 'service' },
    { route: 'decideNumberUse', parameter: 'userId', fixed: { action: 'call' }, who: 'service' },
    { route: 'getPhoneNumberRouting', parameter: 'at', fixed: {}, who: 'owner' },
    { route: 'routeIncomingCall', parameter: 'at', fixed: {}, who: 'service' },
    { route: 'listPhoneNumbers', parameter: 'userId', fixed: {}, who: 'owner' },
  ];

  it.each(queryCases)(
    '$route ?$parameter=: generated values are answered (200) or refused (400), never a 5xx',
    async ({ route: name, parameter, fixed, who }) => {
      const team = await createTeam(api, 'Acme', { withNumber: true });
      const id = team.phoneNumberId as string;
      const patched = await api.patch(numberPath(team.workspaceId, id), team.owner.token, {
        businessHours: {
          timeZone: 'America/New_York',
          weekly: { monday: [{ start: '09:00', end: '17:00' }], friday: [{ start: '09:00', end: '24:00' }] },
          overrides: [{ date: '2026-12-24', intervals: [{ start: '09:00', end: '12:00' }] }],
        },
      });
      expect(patched.status).toBe(200);
      const route = routeOf(name);
      const base = sampleRequests[name as RouteName](team).path.split('?')[0] as string;
      const token = who === 'service' ? await serviceToken(api) : team[who].token;
      const fixedValues = Object.fromEntries(
        Object.entries(fixed).map(([key, value]) => [key, value === 'member' ? team.member.userId : value]),
      );
      const before = await snapshot(team, id);
      await fc.assert(
        fc.asyncProperty(queryValue, async (fragment) => {
          const value = decoded(fragment);
          const query = [
            ...Object.entries(fixedValues).map(
              ([key, fixedValue]) => `${key}=${encodeURIComponent(fixedValue)}`,
            ),
            `${parameter}=${fragment}`,
          ].join('&');
          const response = await api.get(`${base}?${query}`, token);
          const context = `?${query} (${JSON.stringify(value)}) → ${response.status} ${JSON.stringify(response.body)}`;
          expect(response.status, context).toBeLessThan(500);
          const wellFormed =
            route.input.query.safeParse({ ...fixedValues, [parameter]: value }).success &&
            (parameter !== 'at' || !Number.isNaN(new Date(value).getTime()));
          if (!wellFormed) {
            expect(response.status, context).toBe(400);
            expect(response.body.code, context).toBe('VALIDATION_FAILED');
            expectErrorBody(response, context);
            return;
          }
          if (name === 'listPhoneNumbers') {
            // No generated id is a member of this workspace.
            expect(response.status, context).toBe(404);
            expect(response.body.code).toBe('MEMBER_NOT_FOUND');
            return;
          }
          expect(response.status, context).toBe(200);
          if (parameter === 'at') expect(response.body.data.at).toBe(new Date(value).toISOString());
          if (parameter === 'userId')
            expect(response.body.data).toMatchObject({ allowed: false, reason: 'NO_ACCESS' });
        }),
        { numRuns: 20 },
      );
      const valid = { action: 'call', at: '2026-12-24T17:30:00-05:00', userId: team.member.userId }[
        parameter
      ];
      const extras = ['__proto__=x', 'constructor=x', 'x=1', 'hasOwnProperty=1'];
      // A repeated parameter arrives joined with commas (as API Gateway joins it): no action, no instant.
      if (parameter !== 'userId') extras.push(`${parameter}=${encodeURIComponent(valid)}`);
      for (const extra of extras) {
        const query = [
          ...Object.entries({ ...fixedValues, [parameter]: valid }).map(
            ([key, value]) => `${key}=${encodeURIComponent(value)}`,
          ),
          extra,
        ].join('&');
        const response = await api.get(`${base}?${query}`, token);
        expect(response.status, query).toBe(400);
        expectErrorBody(response, query);
      }
      const huge = await api.get(`${base}?${parameter}=${'a'.repeat(20_000)}`, token);
      expectErrorBody(huge, 'a 20 000-character value');
      expect(await snapshot(team, id)).toEqual(before);
    },
  );

  it('findPhoneNumber: generated path segments are a 400 or 404, never a 5xx', async () => {
    const service = await serviceToken(api);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileString.filter((value) => value.length > 0).map(encoded),
          fc.stringMatching(/^\+\d{1,20}$/).map(encoded),
        ),
        async (segment) => {
          const response = await api.get(`/internal/v1/phone-numbers/${segment}`, service);
          expect([400, 404], `${segment} → ${JSON.stringify(response.body)}`).toContain(response.status);
          expectErrorBody(response, segment);
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe.concurrent('the request itself is judged first (400 before 404 and 403)', () => {
  type Case = {
    what: string;
    method: string;
    path: (team: Team, foreign: string) => string;
    as: 'owner' | 'member';
    body: unknown;
  };
  const cases: Case[] = [
    {
      what: 'numberOwner with read-only, from a holder who manages nothing (else 403)',
      method: 'PUT',
      path: (team) => accessPath(team.workspaceId, team.phoneNumberId as string, team.member.userId),
      as: 'member',
      body: { access: 'read-only', numberOwner: true },
    },
    {
      what: 'numberOwner with read-only, on another workspace’s number (else 404)',
      method: 'PUT',
      path: (team, foreign) => accessPath(team.workspaceId, foreign, team.member.userId),
      as: 'owner',
      body: { access: 'read-only', numberOwner: true },
    },
    {
      what: 'forwardTo without the forward action, from a holder who manages nothing (else 403)',
      method: 'PATCH',
      path: (team) => numberPath(team.workspaceId, team.phoneNumberId as string),
      as: 'member',
      body: { callFlow: { unanswered: { action: 'voicemail', forwardTo: '+14155550100' } } },
    },
    {
      what: 'the forward action without forwardTo, on another workspace’s number (else 404)',
      method: 'PATCH',
      path: (team, foreign) => numberPath(team.workspaceId, foreign),
      as: 'owner',
      body: { callFlow: { afterHours: { action: 'forward' } } },
    },
    {
      what: 'an empty update, from a holder who manages nothing (else 403)',
      method: 'PATCH',
      path: (team) => numberPath(team.workspaceId, team.phoneNumberId as string),
      as: 'member',
      body: {},
    },
  ];

  it.each(cases.map((entry) => [entry.what, entry] as const))(
    '%s: 400',
    async (what, { method, path, as, body }) => {
      const [team, other] = await Promise.all([
        createTeam(api, 'Acme', { withNumber: true }),
        createTeam(api, 'Globex', { withNumber: true }),
      ]);
      const before = await snapshot(team, team.phoneNumberId as string);
      const response = await api.request(method, path(team, other.phoneNumberId as string), {
        token: team[as].token,
        body,
      });
      expectErrorBody(response, what);
      expect(`${response.status} ${response.body.code}`).toMatch(/^400 (VALIDATION_FAILED|EMPTY_UPDATE)$/);
      expect(await snapshot(team, team.phoneNumberId as string)).toEqual(before);
    },
  );
});

// One at a time: each test is itself a burst of parallel requests.
describe('parallel requests keep the invariants', () => {
  it('parallel access changes for the same member end in one state that the number and the member agree on', async () => {
    const team = await createTeam(api);
    const ws = team.workspaceId;
    const change = fc.record({
      access: fc.constantFrom(...levels),
      numberOwner: fc.option(fc.boolean(), { nil: undefined }),
      by: fc.constantFrom('owner' as const, 'admin' as const),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(change, { minLength: 2, maxLength: 8 }),
        fc.boolean(),
        async (changes, held) => {
          const id = await addNumber(api, ws, team.owner);
          if (held) await grant(api, ws, id, team.owner, team.member, 'shared');
          const results = await Promise.all(
            changes.map(({ access, numberOwner, by }) =>
              api.put(accessPath(ws, id, team.member.userId), team[by].token, {
                access,
                ...(numberOwner === undefined ? {} : { numberOwner }),
              }),
            ),
          );
          const context = JSON.stringify(
            results.map((response) => [response.status, response.body.code ?? response.body.data]),
          );
          results.forEach((response, index) => {
            const asked = changes[index] as (typeof changes)[number];
            if (asked.access === 'read-only' && asked.numberOwner) expect(response.status, context).toBe(400);
            else expect([200, 409], context).toContain(response.status);
            if (response.status === 409) expect(response.body.code, context).toBe('CONCURRENT_UPDATE');
          });
          const number = (await api.get(numberPath(ws, id), team.owner.token)).body.data;
          const entry = number.members.find(
            (holder: { userId: string }) => holder.userId === team.member.userId,
          );
          const lines = (
            await api.get(memberUrl(ws, team.member.userId), team.owner.token)
          ).body.data.phoneNumbers.filter((line: { id: string }) => line.id === id);
          const granted = results
            .filter((response) => response.status === 200)
            .map((response) => response.body.data);
          if (granted.length === 0 && !held) {
            expect(entry, context).toBeUndefined();
            expect(lines, context).toEqual([]);
          } else {
            expect(lines, context).toEqual([{ id, number: number.number, access: entry?.access }]);
            if (granted.length > 0) {
              expect(
                granted.map(({ access, numberOwner }) => ({ access, numberOwner })),
                context,
              ).toContainEqual({
                access: entry.access,
                numberOwner: entry.numberOwner,
              });
            }
          }
          expectCountsAgree((await storedNumber(ws, id)) as PhoneNumberItem);
        },
      ),
      { numRuns: 5 },
    );
  });

  it('parallel grants to several members keep D4, and every member’s lines agree with the number', async () => {
    const team = await createTeam(api);
    const ws = team.workspaceId;
    const extra = await Promise.all([api.user(), api.user()]);
    await Promise.all(extra.map((person) => seedMember(api, ws, person, 'member')));
    const people: TestUser[] = [team.owner, team.admin, team.member, ...extra];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            who: fc.integer({ min: 0, max: people.length - 1 }),
            access: fc.constantFrom(...levels),
          }),
          {
            minLength: 3,
            maxLength: 10,
          },
        ),
        async (grants) => {
          const id = await addNumber(api, ws, team.owner);
          const results = await Promise.all(
            grants.map(({ who, access }) =>
              api.put(accessPath(ws, id, (people[who] as TestUser).userId), team.owner.token, { access }),
            ),
          );
          for (const response of results) {
            expect([200, 409], JSON.stringify(response.body)).toContain(response.status);
          }
          const number = (await api.get(numberPath(ws, id), team.owner.token)).body.data;
          for (const person of people) {
            const entry = number.members.find(
              (holder: { userId: string }) => holder.userId === person.userId,
            );
            const lines = (
              await api.get(memberUrl(ws, person.userId), team.owner.token)
            ).body.data.phoneNumbers.filter((line: { id: string }) => line.id === id);
            expect(lines, person.userId).toEqual(
              entry ? [{ id, number: number.number, access: entry.access }] : [],
            );
          }
          expectCountsAgree((await storedNumber(ws, id)) as PhoneNumberItem);
        },
      ),
      { numRuns: 5 },
    );
  });

  it('parallel release and grants: no member’s phoneNumbers ever points at a released number', async () => {
    const team = await createTeam(api);
    const ws = team.workspaceId;
    const extra = await Promise.all([api.user(), api.user(), api.user()]);
    await Promise.all(extra.map((person) => seedMember(api, ws, person, 'member')));
    const people: TestUser[] = [team.admin, team.member, ...extra];
    const service = await serviceToken(api);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            who: fc.integer({ min: 0, max: people.length - 1 }),
            access: fc.constantFrom(...levels),
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.integer({ min: 0, max: 5 }),
        async (grants, releaseAfter) => {
          const id = await addNumber(api, ws, team.owner);
          await grant(api, ws, id, team.owner, team.member, 'shared');
          const e164 = (await api.get(numberPath(ws, id), team.owner.token)).body.data.number as string;
          const release = (async () => {
            await new Promise((resolve) => setTimeout(resolve, releaseAfter * 5));
            return api.del(numberPath(ws, id), team.owner.token);
          })();
          const results = await Promise.all([
            release,
            ...grants.map(({ who, access }) =>
              api.put(accessPath(ws, id, (people[who] as TestUser).userId), team.admin.token, { access }),
            ),
          ]);
          const [released, ...granted] = results as ApiResponse[];
          expect([204, 409], JSON.stringify(released?.body)).toContain(released?.status);
          for (const response of granted) {
            expect([200, 404, 409], JSON.stringify(response.body)).toContain(response.status);
          }
          const check = async () => {
            const number = await api.get(numberPath(ws, id), team.owner.token);
            expect([200, 404]).toContain(number.status);
            const found = await api.get(`/internal/v1/phone-numbers/${encodeURIComponent(e164)}`, service);
            expect(found.status).toBe(number.status);
            for (const person of people) {
              const lines = (
                await api.get(memberUrl(ws, person.userId), team.owner.token)
              ).body.data.phoneNumbers.filter((line: { id: string }) => line.id === id);
              const entry =
                number.status === 200
                  ? number.body.data.members.find(
                      (holder: { userId: string }) => holder.userId === person.userId,
                    )
                  : undefined;
              expect(lines, `${person.userId} after release ${released?.status}`).toEqual(
                entry ? [{ id, number: e164, access: entry.access }] : [],
              );
            }
            return number.status;
          };
          if ((await check()) === 200) {
            // The release lost the race: sent again, it cleans everyone.
            expect((await api.del(numberPath(ws, id), team.owner.token)).status).toBe(204);
            expect(await check()).toBe(404);
          }
        },
      ),
      { numRuns: 5 },
    );
  });

  it('a grant racing the member’s removal or departure leaves no entry for someone no longer a member', async () => {
    const team = await createTeam(api);
    const ws = team.workspaceId;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.integer({ min: 0, max: 25 }), async (leaves, delay) => {
        const person = await api.user();
        await seedMember(api, ws, person, 'member');
        const held = await addNumber(api, ws, team.owner);
        await grant(api, ws, held, team.owner, person, 'shared');
        const fresh = await addNumber(api, ws, team.owner);
        const [gone, granted] = await Promise.all([
          leaves
            ? api.post(`/v1/workspaces/${ws}/leave`, person.token)
            : api.del(memberUrl(ws, person.userId), team.owner.token),
          (async () => {
            await new Promise((resolve) => setTimeout(resolve, delay));
            return api.put(accessPath(ws, fresh, person.userId), team.admin.token, { access: 'exclusive' });
          })(),
        ]);
        expect(gone.status).toBe(204);
        expect([200, 404, 409], JSON.stringify(granted.body)).toContain(granted.status);
        expect((await api.get(memberUrl(ws, person.userId), team.owner.token)).status).toBe(404);
        const outcome: Record<string, unknown> = {};
        for (const [which, id] of [
          ['held', held],
          ['granted', fresh],
        ] as const) {
          const number = (await api.get(numberPath(ws, id), team.owner.token)).body.data;
          const stale = number.members.filter(
            (holder: { userId: string }) => holder.userId === person.userId,
          );
          // The number stays manageable: it can be released, its holders' lines with it.
          const released = await api.del(numberPath(ws, id), team.owner.token);
          outcome[which] = {
            entriesOfTheGone: stale.map((holder: { access: string }) => holder.access),
            release: `${released.status}${released.body?.code ? ` ${released.body.code}` : ''}`,
          };
        }
        expect(
          outcome,
          `${leaves ? 'leave' : 'removal'} racing a grant (${granted.status}) sent ${delay} ms after`,
        ).toEqual({
          held: { entriesOfTheGone: [], release: '204' },
          granted: { entriesOfTheGone: [], release: '204' },
        });
      }),
      { numRuns: 6 },
    );
  });
});
