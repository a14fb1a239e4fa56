import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e164Key, portingRequestKey } from '../../../shared/db/keys';
import { routes } from '../../../shared/features/porting/routes';
import type { RouteDefinition } from '../../../shared/http/route';
import { startTestApi, type TestApi } from '../../support/api';
import { auditLog } from '../../support/audit';
import { expectBadBodiesRefused, expectErrorBody, hostileString } from '../../support/fuzz';
import { capturedLogs } from '../../support/logs';
import { numberPath, numbersPath } from '../../support/numbers';
import {
  carrierPath,
  carrierReports,
  newPin,
  portingBody,
  portingPath,
  requestPath,
  statusPath,
  submitPort,
} from '../../support/porting';
import { createTeam, setWorkspaceStatus, type Team } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

/** Every item of the file's table, as DynamoDB holds it. */
async function wholeTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await api.documents.send(
      new ScanCommand({ TableName: api.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const storedRequest = async (workspaceId: string, id: string) =>
  (await wholeTable()).find(
    (item) =>
      item.PK === portingRequestKey(workspaceId, id).PK && item.SK === portingRequestKey(workspaceId, id).SK,
  );

/** Moves a request to a status the way the lifecycle gets there. */
async function requestIn(team: Team, status: string) {
  const { request, body } = await submitPort(api, team.workspaceId, team.owner);
  const report = (next: string, reason?: string) =>
    carrierReports(api, team.serviceToken ?? '', team.workspaceId, request.id, next, reason);
  if (status === 'in-progress' || status === 'completed') await report('in-progress');
  if (status === 'completed') await report('completed');
  if (status === 'action-required') await report('action-required', 'The PIN does not match.');
  if (status === 'cancelled') {
    const cancelled = await api.patch(requestPath(team.workspaceId, request.id), team.owner.token, {
      status: 'cancelled',
    });
    expect(cancelled.status).toBe(200);
  }
  return { id: request.id as string, body };
}

describe.concurrent('submitting, reading and listing', () => {
  it('answers the request without its PIN, the account number masked, and lists it newest first', async () => {
    const team = await createTeam(api);
    const { request, body } = await submitPort(api, team.workspaceId, team.admin, {
      billingTelephoneNumber: '+1 415 555 2671',
      requestedPortDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
      assignTo: team.member.userId,
    });
    expect(request).toMatchObject({
      phoneNumber: body.phoneNumber,
      carrier: 'Old Telco',
      accountNumberMasked: '••••6655',
      pinSet: true,
      billingTelephoneNumber: '+14155552671',
      assignTo: team.member.userId,
      status: 'submitted',
      reason: null,
      phoneNumberId: null,
      createdBy: team.admin.userId,
    });
    expect(request.accountHolder.address.line2).toBeNull();
    expect(JSON.stringify(request)).not.toContain(body.pin as string);
    expect(JSON.stringify(request)).not.toContain('9988776655');
    const got = await api.get(requestPath(team.workspaceId, request.id), team.owner.token);
    expect(got.body.data).toEqual(request);

    const second = (await submitPort(api, team.workspaceId, team.owner)).request;
    const listed = await api.get(portingPath(team.workspaceId), team.owner.token);
    expect(listed.body.data.map((item: { id: string }) => item.id)).toEqual([second.id, request.id]);
    await carrierReports(api, team.serviceToken ?? '', team.workspaceId, second.id, 'in-progress');
    const submitted = await api.get(`${portingPath(team.workspaceId)}?status=submitted`, team.owner.token);
    expect(submitted.body.data.map((item: { id: string }) => item.id)).toEqual([request.id]);
    const progressing = await api.get(
      `${portingPath(team.workspaceId)}?status=in-progress&limit=1`,
      team.owner.token,
    );
    expect(progressing.body.data.map((item: { id: string }) => item.id)).toEqual([second.id]);
    expect(progressing.body.nextCursor).toBeNull();

    const events = await auditLog(api, team.workspaceId, team.owner.token, 'action=portingRequest.created');
    expect(events).toHaveLength(2);
    expect(events[1]?.after).toMatchObject({ accountNumberMasked: '••••6655', status: 'submitted' });
    expect(JSON.stringify(events)).not.toContain(body.pin as string);
  });

  it('refuses a Member (403) and a non-member (404) on every porting route, and another workspace’s request (404)', async () => {
    const team = await createTeam(api);
    const other = await createTeam(api, 'Other');
    const { request } = await submitPort(api, other.workspaceId, other.owner);
    const own = (await submitPort(api, team.workspaceId, team.owner)).request;
    const calls = (workspaceId: string, id: string) =>
      [
        ['GET', portingPath(workspaceId), undefined],
        ['POST', portingPath(workspaceId), portingBody()],
        ['GET', requestPath(workspaceId, id), undefined],
        ['PATCH', requestPath(workspaceId, id), { carrier: 'Someone' }],
      ] as const;
    for (const [method, path, body] of calls(team.workspaceId, own.id)) {
      expect((await api.request(method, path, { token: team.member.token, body })).status).toBe(403);
      expect((await api.request(method, path, { token: team.outsider.token, body })).status).toBe(404);
    }
    // The other workspace's request, through this workspace's paths.
    for (const [method, path, body] of calls(team.workspaceId, request.id).slice(2)) {
      const answer = await api.request(method, path, { token: team.owner.token, body });
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('PORTING_REQUEST_NOT_FOUND');
    }
    // And the carrier's routes with the wrong workspace.
    expect((await api.get(carrierPath(team.workspaceId, request.id), team.serviceToken)).status).toBe(404);
    const wrong = await api.post(statusPath(team.workspaceId, request.id), team.serviceToken, {
      status: 'in-progress',
    });
    expect(wrong.status).toBe(404);
    expect(
      (await api.get(requestPath(other.workspaceId, request.id), other.owner.token)).body.data.status,
    ).toBe('submitted');
  });

  it('refuses user tokens on the carrier’s routes, and the carrier’s token on the workspace’s', async () => {
    const team = await createTeam(api);
    const { request } = await submitPort(api, team.workspaceId, team.owner);
    for (const token of [team.owner.token, team.admin.token]) {
      expect((await api.get(carrierPath(team.workspaceId, request.id), token)).status).toBe(401);
      expect(
        (await api.post(statusPath(team.workspaceId, request.id), token, { status: 'completed' })).status,
      ).toBe(401);
    }
    expect((await api.get(requestPath(team.workspaceId, request.id), team.serviceToken)).status).toBe(401);
    expect((await api.post(portingPath(team.workspaceId), team.serviceToken, portingBody())).status).toBe(
      401,
    );
  });

  it('validates each field at its path, never echoing the PIN, and writes nothing', async () => {
    const team = await createTeam(api);
    const pin = newPin();
    const today = new Date().toISOString().slice(0, 10);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ phoneNumber: '+1415' }, 'phoneNumber', 'INVALID_PHONE_NUMBER'],
      [{ phoneNumber: '4155550100' }, 'phoneNumber', 'INVALID_PHONE_NUMBER'],
      [{ billingTelephoneNumber: 'call me' }, 'billingTelephoneNumber', 'INVALID_PHONE_NUMBER'],
      [{ carrier: '   ' }, 'carrier', 'VALIDATION_FAILED'],
      [{ accountNumber: '' }, 'accountNumber', 'VALIDATION_FAILED'],
      [{ pin: '' }, 'pin', 'VALIDATION_FAILED'],
      [{ pin: `${pin} ` }, 'pin', 'VALIDATION_FAILED'],
      [{ pin: `${pin}${'x'.repeat(40)}` }, 'pin', 'VALIDATION_FAILED'],
      [{ requestedPortDate: '2020-01-01' }, 'requestedPortDate', 'VALIDATION_FAILED'],
      [
        { requestedPortDate: `${Number(today.slice(0, 4)) + 1}-02-30` },
        'requestedPortDate',
        'VALIDATION_FAILED',
      ],
      [
        { requestedPortDate: `${Number(today.slice(0, 4)) + 2}${today.slice(4)}` },
        'requestedPortDate',
        'VALIDATION_FAILED',
      ],
      [{ requestedPortDate: '12/24/2030' }, 'requestedPortDate', 'VALIDATION_FAILED'],
      [
        {
          accountHolder: {
            name: 'A',
            address: { line1: 'x', city: 'y', region: 'z', postalCode: '1', country: 'XX' },
          },
        },
        'accountHolder.address.country',
        'VALIDATION_FAILED',
      ],
      [
        {
          accountHolder: {
            name: 'A',
            address: { line1: 'x', city: 'y', region: 'z', postalCode: '1', country: 'us' },
          },
        },
        'accountHolder.address.country',
        'VALIDATION_FAILED',
      ],
      [{ accountHolder: { name: 'A' } }, 'accountHolder.address', 'VALIDATION_FAILED'],
      [{ assignTo: '' }, 'assignTo', 'VALIDATION_FAILED'],
      [{ status: 'completed' }, 'body', 'VALIDATION_FAILED'],
    ];
    for (const [override, path, code] of cases) {
      const answer = await api.post(portingPath(team.workspaceId), team.owner.token, {
        ...portingBody({ pin }),
        ...override,
      });
      expect(answer.status, JSON.stringify(override)).toBe(400);
      expect(answer.body.code).toBe(code);
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain(path);
      expect(JSON.stringify(answer.body)).not.toContain(pin);
    }
    // Today is always a valid port date, wherever the caller is.
    expect(
      (
        await api.post(
          portingPath(team.workspaceId),
          team.owner.token,
          portingBody({ requestedPortDate: today }),
        )
      ).status,
    ).toBe(201);
    const unknownAssignee = await api.post(
      portingPath(team.workspaceId),
      team.owner.token,
      portingBody({ assignTo: team.outsider.userId }),
    );
    expect(unknownAssignee.status).toBe(404);
    expect(unknownAssignee.body.code).toBe('MEMBER_NOT_FOUND');
    expect((await api.get(portingPath(team.workspaceId), team.owner.token)).body.data).toHaveLength(1);
  });

  it('honours Idempotency-Key: one request for the same body, and the key’s record holds nothing of the PIN', async () => {
    const team = await createTeam(api);
    const body = portingBody();
    const headers = { 'idempotency-key': 'port-once' };
    const answers = await Promise.all(
      [1, 2, 3].map(() => api.post(portingPath(team.workspaceId), team.owner.token, body, { headers })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.data.id)).size).toBe(1);
    expect((await api.get(portingPath(team.workspaceId), team.owner.token)).body.data).toHaveLength(1);
    // The record hashes the request without the PIN (a short PIN's hash could be brute-forced):
    // the same key with another PIN is the same request.
    const otherPin = await api.post(
      portingPath(team.workspaceId),
      team.owner.token,
      { ...body, pin: newPin() },
      { headers },
    );
    expect(otherPin.body.data.id).toBe(answers[0]?.body.data.id);
    const otherCarrier = await api.post(
      portingPath(team.workspaceId),
      team.owner.token,
      { ...body, carrier: 'Another Telco' },
      { headers },
    );
    expect(otherCarrier.status).toBe(409);
    expect(otherCarrier.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(JSON.stringify(await wholeTable())).not.toContain(body.pin);
  });
});

describe.concurrent('one open request per number', () => {
  it('refuses a second open request anywhere (PORT_IN_PROGRESS), a number some workspace has (NUMBER_TAKEN), and adding a number being ported', async () => {
    const team = await createTeam(api);
    const other = await createTeam(api, 'Other');
    const { body } = await submitPort(api, team.workspaceId, team.owner);
    for (const workspace of [team, other]) {
      const again = await api.post(
        portingPath(workspace.workspaceId),
        workspace.owner.token,
        portingBody({ phoneNumber: body.phoneNumber }),
      );
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('PORT_IN_PROGRESS');
    }
    const added = await api.post(numbersPath(other.workspaceId), other.owner.token, {
      number: body.phoneNumber,
    });
    expect(added.status).toBe(409);
    expect(added.body.code).toBe('PORT_IN_PROGRESS');
    // Being ported in is not having it: an incoming call finds no workspace yet.
    const lookup = await api.get(
      `/internal/v1/phone-numbers/${encodeURIComponent(body.phoneNumber as string)}`,
      team.serviceToken,
    );
    expect(lookup.status).toBe(404);

    const owned = portingBody();
    expect(
      (await api.post(numbersPath(other.workspaceId), other.owner.token, { number: owned.phoneNumber }))
        .status,
    ).toBe(201);
    const taken = await api.post(portingPath(team.workspaceId), team.owner.token, owned);
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('NUMBER_TAKEN');
  });

  it('lets exactly one of ten workspaces submitting the same number at once through, and frees the number when cancelled', async () => {
    const teams = await Promise.all(
      Array.from({ length: 10 }, (_, index) => createTeam(api, `Race ${index}`)),
    );
    const body = portingBody();
    const answers = await Promise.all(
      teams.map((team) =>
        api.post(portingPath(team.workspaceId), team.owner.token, { ...body, pin: newPin() }),
      ),
    );
    const winners = answers.filter((answer) => answer.status === 201);
    expect(winners).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409).map((answer) => answer.body.code)).toEqual(
      Array(9).fill('PORT_IN_PROGRESS'),
    );
    const winner = teams[answers.indexOf(winners[0] as (typeof answers)[number])] as Team;
    const cancelled = await api.patch(
      requestPath(winner.workspaceId, winners[0]?.body.data.id),
      winner.owner.token,
      {
        status: 'cancelled',
      },
    );
    expect(cancelled.body.data.status).toBe('cancelled');
    const loser = teams.find((team) => team !== winner) as Team;
    expect((await api.post(portingPath(loser.workspaceId), loser.owner.token, body)).status).toBe(201);
  });
});

describe.concurrent('the lifecycle', () => {
  const all = ['submitted', 'in-progress', 'action-required', 'completed', 'cancelled'] as const;
  const carrierMoves: Record<string, Record<string, number | string>> = {
    submitted: {
      'in-progress': 200,
      'action-required': 200,
      completed: 'PORTING_STATUS_CONFLICT',
      cancelled: 200,
    },
    'in-progress': { 'in-progress': 200, 'action-required': 200, completed: 200, cancelled: 200 },
    'action-required': {
      'in-progress': 'PORTING_STATUS_CONFLICT',
      'action-required': 200,
      completed: 'PORTING_STATUS_CONFLICT',
      cancelled: 200,
    },
    completed: {
      'in-progress': 'PORTING_REQUEST_CLOSED',
      'action-required': 'PORTING_REQUEST_CLOSED',
      completed: 200,
      cancelled: 'PORTING_REQUEST_CLOSED',
    },
    cancelled: {
      cancelled: 'PORTING_REQUEST_CLOSED',
      'in-progress': 'PORTING_REQUEST_CLOSED',
      'action-required': 'PORTING_REQUEST_CLOSED',
      completed: 'PORTING_REQUEST_CLOSED',
    },
  };

  it.each(all)(
    'from %s: the carrier’s moves, corrections and cancellation are taken or refused as the lifecycle says',
    async (from) => {
      const team = await createTeam(api);
      for (const [to, expected] of Object.entries(carrierMoves[from] ?? {})) {
        const { id } = await requestIn(team, from);
        const answer = await api.post(statusPath(team.workspaceId, id), team.serviceToken, {
          status: to,
          ...(to === 'action-required' || to === 'cancelled'
            ? { reason: 'Account holder name differs.' }
            : {}),
        });
        if (expected === 200) {
          expect(answer.status, `${from} → ${to}`).toBe(200);
          expect(answer.body.data.status).toBe(to);
          expect(answer.body.data.reason).toBe(
            to === 'action-required' || to === 'cancelled' ? 'Account holder name differs.' : null,
          );
        } else {
          expect(answer.status, `${from} → ${to}`).toBe(409);
          expect(answer.body.code).toBe(expected);
          expect((await api.get(requestPath(team.workspaceId, id), team.owner.token)).body.data.status).toBe(
            from,
          );
        }
      }
      const correctable = from === 'submitted' || from === 'action-required';
      const corrected = await api.patch(
        requestPath(team.workspaceId, (await requestIn(team, from)).id),
        team.owner.token,
        {
          carrier: 'Right Telco',
        },
      );
      if (correctable) {
        expect(corrected.status).toBe(200);
        expect(corrected.body.data).toMatchObject({
          carrier: 'Right Telco',
          status: 'submitted',
          reason: null,
        });
      } else {
        expect(corrected.status).toBe(409);
        expect(corrected.body.code).toBe('PORTING_REQUEST_CLOSED');
      }
      const open = from !== 'completed' && from !== 'cancelled';
      const cancel = await api.patch(
        requestPath(team.workspaceId, (await requestIn(team, from)).id),
        team.owner.token,
        {
          status: 'cancelled',
        },
      );
      expect(cancel.status).toBe(open ? 200 : 409);
      if (!open) expect(cancel.body.code).toBe('PORTING_REQUEST_CLOSED');
    },
  );

  it('asks a reason with action-required and cancelled, and only then; refuses statuses that are not the carrier’s', async () => {
    const team = await createTeam(api);
    const { id } = await requestIn(team, 'submitted');
    for (const body of [
      { status: 'action-required' },
      { status: 'in-progress', reason: 'why not' },
      { status: 'cancelled' },
      { status: 'submitted' },
      {},
    ]) {
      const answer = await api.post(statusPath(team.workspaceId, id), team.serviceToken, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api.get(requestPath(team.workspaceId, id), team.owner.token)).body.data.status).toBe(
      'submitted',
    );
  });

  it('takes corrections while action-required: a new PIN replaces the ciphertext, a new number moves its place', async () => {
    const team = await createTeam(api);
    const { id, body } = await requestIn(team, 'action-required');
    const before = await storedRequest(team.workspaceId, id);
    const pin = newPin();
    const moved = portingBody();
    const corrected = await api.patch(requestPath(team.workspaceId, id), team.owner.token, {
      pin,
      phoneNumber: moved.phoneNumber,
      accountNumber: 'AC-77-1234',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.data).toMatchObject({
      status: 'submitted',
      reason: null,
      phoneNumber: moved.phoneNumber,
      accountNumberMasked: '••••1234',
      pinSet: true,
    });
    const after = await storedRequest(team.workspaceId, id);
    expect(after?.pin).not.toEqual(before?.pin);
    const read = await api.get(carrierPath(team.workspaceId, id), team.serviceToken);
    expect(read.body.data).toMatchObject({
      pin,
      accountNumber: 'AC-77-1234',
      phoneNumber: moved.phoneNumber,
    });
    // The old number is free again; the new one is held.
    const other = await createTeam(api, 'Other');
    // Submitting it elsewhere succeeds (submitPort insists on 201).
    await submitPort(api, other.workspaceId, other.owner, { phoneNumber: body.phoneNumber });
    const held = await api.post(
      portingPath(other.workspaceId),
      other.owner.token,
      portingBody({ phoneNumber: moved.phoneNumber }),
    );
    expect(held.body.code).toBe('PORT_IN_PROGRESS');

    const [event] = await auditLog(api, team.workspaceId, team.owner.token, 'action=portingRequest.updated');
    expect(event?.before).toMatchObject({ status: 'action-required', accountNumberMasked: '••••6655' });
    expect(event?.after).toMatchObject({
      pinChanged: true,
      status: 'submitted',
      accountNumberMasked: '••••1234',
    });
    expect(JSON.stringify(event)).not.toContain(pin);
    expect(JSON.stringify(event)).not.toContain('AC-77-1234');
    for (const bad of [{}, { status: 'cancelled', carrier: 'X' }]) {
      expect((await api.patch(requestPath(team.workspaceId, id), team.owner.token, bad)).status).toBe(400);
    }
  });
});

describe.concurrent('the carrier’s side', () => {
  it('refuses a port with its reason, which frees the number; the workspace cancels even when suspended', async () => {
    const team = await createTeam(api);
    const { id, body } = await requestIn(team, 'in-progress');
    const refused = await carrierReports(
      api,
      team.serviceToken ?? '',
      team.workspaceId,
      id,
      'cancelled',
      'The account holder did not authorise the port.',
    );
    expect(refused).toMatchObject({
      status: 'cancelled',
      reason: 'The account holder did not authorise the port.',
    });
    // A retried refusal answers the same; another reason, once closed, is refused.
    const retried = await api.post(statusPath(team.workspaceId, id), team.serviceToken, {
      status: 'cancelled',
      reason: 'The account holder did not authorise the port.',
    });
    expect(retried.status).toBe(200);
    const another = await api.post(statusPath(team.workspaceId, id), team.serviceToken, {
      status: 'cancelled',
      reason: 'Something else.',
    });
    expect(another.body.code).toBe('PORTING_REQUEST_CLOSED');
    const other = await createTeam(api, 'Other');
    // Submitting it elsewhere succeeds (submitPort insists on 201).
    await submitPort(api, other.workspaceId, other.owner, { phoneNumber: body.phoneNumber });

    // A suspended workspace cannot change anything else, but still gives a number back.
    const pending = await requestIn(other, 'submitted');
    await setWorkspaceStatus(api, other.workspaceId, 'suspended');
    const corrected = await api.patch(requestPath(other.workspaceId, pending.id), other.owner.token, {
      carrier: 'X',
    });
    expect(corrected.body.code).toBe('WORKSPACE_INACTIVE');
    const cancelled = await api.patch(requestPath(other.workspaceId, pending.id), other.owner.token, {
      status: 'cancelled',
    });
    expect(cancelled.status).toBe(200);
    expect(
      (await submitPort(api, team.workspaceId, team.owner, { phoneNumber: pending.body.phoneNumber })).request
        .status,
    ).toBe('submitted');
  });

  it('refuses a report made on a version the workspace has corrected since (409), and takes it on the current one', async () => {
    const team = await createTeam(api);
    const { id } = await requestIn(team, 'submitted');
    const read = (await api.get(carrierPath(team.workspaceId, id), team.serviceToken)).body.data;
    const corrected = await api.patch(requestPath(team.workspaceId, id), team.owner.token, { pin: newPin() });
    expect(corrected.status).toBe(200);
    const stale = await api.post(statusPath(team.workspaceId, id), team.serviceToken, {
      status: 'in-progress',
      updatedAt: read.updatedAt,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CONCURRENT_UPDATE');
    expect((await api.get(requestPath(team.workspaceId, id), team.owner.token)).body.data.status).toBe(
      'submitted',
    );
    const fresh = (await api.get(carrierPath(team.workspaceId, id), team.serviceToken)).body.data;
    const taken = await api.post(statusPath(team.workspaceId, id), team.serviceToken, {
      status: 'in-progress',
      updatedAt: fresh.updatedAt,
    });
    expect(taken.body.data.status).toBe('in-progress');
    // The carrier's own reports since do not count: only the workspace's corrections do.
    const completed = await api.post(statusPath(team.workspaceId, id), team.serviceToken, {
      status: 'completed',
      updatedAt: fresh.updatedAt,
    });
    expect(completed.body.data.status).toBe('completed');
  });

  it('keeps the request and the registry in step when a correction of the number races the carrier, 10 times over', async () => {
    const team = await createTeam(api);
    for (let round = 0; round < 10; round++) {
      const { id, body } = await requestIn(team, 'submitted');
      const moved = portingBody();
      const [correction, report] = await Promise.all([
        api.patch(requestPath(team.workspaceId, id), team.owner.token, { phoneNumber: moved.phoneNumber }),
        api.post(statusPath(team.workspaceId, id), team.serviceToken, { status: 'in-progress' }),
      ]);
      expect([correction.status, report.status], `round ${round}`).toContain(200);
      for (const answer of [correction, report]) expect([200, 409]).toContain(answer.status);
      const final = (await api.get(requestPath(team.workspaceId, id), team.owner.token)).body.data;
      const table = await wholeTable();
      const claimOf = (number: unknown) => table.find((item) => item.PK === e164Key(number as string).PK);
      const unused = final.phoneNumber === moved.phoneNumber ? body.phoneNumber : moved.phoneNumber;
      expect(claimOf(final.phoneNumber)).toMatchObject({ portingRequestId: id });
      expect(claimOf(unused)).toBeUndefined();
      // Whichever came first, the other was judged on what it left.
      if (correction.status === 200) {
        expect(final.phoneNumber).toBe(moved.phoneNumber);
        expect(final.status).toBe(report.status === 200 ? 'in-progress' : 'submitted');
      } else {
        expect(correction.body.code).toBe('PORTING_REQUEST_CLOSED');
        expect(final).toMatchObject({ phoneNumber: body.phoneNumber, status: 'in-progress' });
      }
    }
  });

  it('reads the PIN decrypted, audits the read without it, and refuses closed requests', async () => {
    const team = await createTeam(api);
    const { id, body } = await requestIn(team, 'submitted');
    const read = await api.get(carrierPath(team.workspaceId, id), team.serviceToken);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({
      id,
      workspaceId: team.workspaceId,
      pin: body.pin,
      accountNumber: '9988776655',
    });
    const [event] = await auditLog(api, team.workspaceId, team.owner.token, 'action=portingRequest.pinRead');
    expect(event?.actor.userId).toMatch(/^service:/);
    expect(JSON.stringify(event)).not.toContain(body.pin as string);
    const cancelled = await requestIn(team, 'cancelled');
    const closed = await api.get(carrierPath(team.workspaceId, cancelled.id), team.serviceToken);
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('PORTING_REQUEST_CLOSED');
  });

  it('refuses a ciphertext copied from another request: it decrypts for its own request only', async () => {
    const team = await createTeam(api);
    const first = await requestIn(team, 'submitted');
    const second = await requestIn(team, 'submitted');
    const copied = (await storedRequest(team.workspaceId, first.id))?.pin;
    await api.documents.send(
      new UpdateCommand({
        TableName: api.tableName,
        Key: portingRequestKey(team.workspaceId, second.id),
        UpdateExpression: 'SET pin = :copied',
        ExpressionAttributeValues: { ':copied': copied },
      }),
    );
    const stolen = await api.get(carrierPath(team.workspaceId, second.id), team.serviceToken);
    expect(stolen.status).toBe(500);
    expect(JSON.stringify(stolen.body)).not.toContain(first.body.pin as string);
    expect((await api.get(carrierPath(team.workspaceId, first.id), team.serviceToken)).body.data.pin).toBe(
      first.body.pin,
    );
  });

  it('completes by adding the number to assignTo (exclusive, number owner), usable at once', async () => {
    const team = await createTeam(api);
    const { request, body } = await submitPort(api, team.workspaceId, team.owner, {
      assignTo: team.member.userId,
    });
    await carrierReports(api, team.serviceToken ?? '', team.workspaceId, request.id, 'in-progress');
    const done = await carrierReports(
      api,
      team.serviceToken ?? '',
      team.workspaceId,
      request.id,
      'completed',
    );
    expect(done.status).toBe('completed');
    expect(done.phoneNumberId).toMatch(/^PN/);
    const can = await api.get(
      `${numberPath(team.workspaceId, done.phoneNumberId)}/can?action=call`,
      team.member.token,
    );
    expect(can.body.data).toMatchObject({ allowed: true, reason: 'EXCLUSIVE_ACCESS', access: 'exclusive' });
    const number = await api.get(numberPath(team.workspaceId, done.phoneNumberId), team.member.token);
    expect(number.body.data).toMatchObject({ number: body.phoneNumber });
    expect(number.body.data.members).toMatchObject([
      { userId: team.member.userId, access: 'exclusive', numberOwner: true },
    ]);
    const lookup = await api.get(
      `/internal/v1/phone-numbers/${encodeURIComponent(body.phoneNumber as string)}`,
      team.serviceToken,
    );
    expect(lookup.body.data).toEqual({ workspaceId: team.workspaceId, phoneNumberId: done.phoneNumberId });
    // A retried completion answers the same, and adds nothing.
    const retried = await carrierReports(
      api,
      team.serviceToken ?? '',
      team.workspaceId,
      request.id,
      'completed',
    );
    expect(retried.phoneNumberId).toBe(done.phoneNumberId);
    expect((await api.get(numbersPath(team.workspaceId), team.owner.token)).body.data).toHaveLength(1);
    const events = await auditLog(api, team.workspaceId, team.owner.token, 'action=phoneNumber.added');
    expect(events[0]?.after).toMatchObject({ portingRequestId: request.id, assignedTo: team.member.userId });
  });

  it('completes unassigned when assignTo left; refuses completion in a workspace no longer active, the request staying in-progress', async () => {
    const team = await createTeam(api);
    const { request } = await submitPort(api, team.workspaceId, team.owner, { assignTo: team.member.userId });
    await carrierReports(api, team.serviceToken ?? '', team.workspaceId, request.id, 'in-progress');
    expect(
      (await api.del(`/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`, team.owner.token))
        .status,
    ).toBe(204);
    const done = await carrierReports(
      api,
      team.serviceToken ?? '',
      team.workspaceId,
      request.id,
      'completed',
    );
    expect(
      (await api.get(numberPath(team.workspaceId, done.phoneNumberId), team.owner.token)).body.data.members,
    ).toEqual([]);

    const suspended = await createTeam(api, 'Suspended');
    const pending = await requestIn(suspended, 'in-progress');
    await setWorkspaceStatus(api, suspended.workspaceId, 'suspended');
    const refused = await api.post(statusPath(suspended.workspaceId, pending.id), suspended.serviceToken, {
      status: 'completed',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('WORKSPACE_INACTIVE');
    expect(
      (await api.get(requestPath(suspended.workspaceId, pending.id), suspended.owner.token)).body.data.status,
    ).toBe('in-progress');
    expect((await api.get(numbersPath(suspended.workspaceId), suspended.owner.token)).body.data).toEqual([]);
  });

  it('ends a cancel racing the completion in exactly one of them, 20 times over', async () => {
    const team = await createTeam(api);
    for (let round = 0; round < 20; round++) {
      const { id, body } = await requestIn(team, 'in-progress');
      const [cancel, complete] = await Promise.all([
        api.patch(requestPath(team.workspaceId, id), team.owner.token, { status: 'cancelled' }),
        api.post(statusPath(team.workspaceId, id), team.serviceToken, { status: 'completed' }),
      ]);
      const statuses = [cancel.status, complete.status].sort();
      expect(statuses, `round ${round}`).toEqual([200, 409]);
      const loser = cancel.status === 409 ? cancel : complete;
      expect(loser.body.code).toBe('PORTING_REQUEST_CLOSED');
      const final = (await api.get(requestPath(team.workspaceId, id), team.owner.token)).body.data;
      const claim = (await wholeTable()).find((item) => item.PK === e164Key(body.phoneNumber as string).PK);
      if (cancel.status === 200) {
        expect(final).toMatchObject({ status: 'cancelled', phoneNumberId: null });
        expect(claim).toBeUndefined();
      } else {
        expect(final.status).toBe('completed');
        expect(claim).toMatchObject({ workspaceId: team.workspaceId, phoneNumberId: final.phoneNumberId });
        expect(claim?.portingRequestId).toBeUndefined();
      }
    }
  });
});

describe('the PIN at rest and in the logs', () => {
  it('is in no response, no log line at debug level, no audit event and no item in clear', async () => {
    const team = await createTeam(api);
    const pins: string[] = [];
    const bodies: string[] = [];
    const logs = await capturedLogs(async () => {
      const { request, body } = await submitPort(api, team.workspaceId, team.owner, {
        assignTo: team.admin.userId,
      });
      pins.push(body.pin as string);
      const pin = newPin();
      pins.push(pin);
      const answers = [
        await api.patch(requestPath(team.workspaceId, request.id), team.owner.token, { pin }),
        await api.post(portingPath(team.workspaceId), team.owner.token, { ...body, pin: `${pin} bad` }),
        await api.get(requestPath(team.workspaceId, request.id), team.owner.token),
        await api.get(portingPath(team.workspaceId), team.owner.token),
        await api.post(statusPath(team.workspaceId, request.id), team.serviceToken, {
          status: 'in-progress',
        }),
        await api.patch(requestPath(team.workspaceId, request.id), team.owner.token, { pin: newPin() }),
        await api.post(statusPath(team.workspaceId, request.id), team.serviceToken, { status: 'completed' }),
      ];
      bodies.push(...answers.map((answer) => JSON.stringify(answer.body)));
    });
    const events = JSON.stringify(await auditLog(api, team.workspaceId, team.owner.token));
    const table = JSON.stringify(await wholeTable());
    expect(logs.length).toBeGreaterThan(0);
    for (const pin of pins) {
      expect(logs).not.toContain(pin);
      expect(events).not.toContain(pin);
      expect(table).not.toContain(pin);
      for (const body of bodies) expect(body).not.toContain(pin);
    }
  });
});

describe.concurrent('generated bodies and queries', () => {
  const bodyRoutes = ['submitPortingRequest', 'updatePortingRequest', 'reportPortingStatus'] as const;

  it('covers every porting route that takes a body', () => {
    expect(
      (Object.values(routes) as RouteDefinition[])
        .filter((route) => route.input.body)
        .map((route) => route.operation),
    ).toEqual([...bodyRoutes]);
  });

  it.each(bodyRoutes)(
    '%s: every generated bad body is a 4xx with the error body, and nothing changes',
    async (name) => {
      const team = await createTeam(api);
      const { request, body } = await submitPort(api, team.workspaceId, team.owner);
      const route = routes[name];
      const path = {
        submitPortingRequest: portingPath(team.workspaceId),
        updatePortingRequest: requestPath(team.workspaceId, request.id),
        reportPortingStatus: statusPath(team.workspaceId, request.id),
      }[name];
      const sample = {
        submitPortingRequest: portingBody(),
        updatePortingRequest: { carrier: 'Other Telco' },
        reportPortingStatus: { status: 'in-progress' },
      }[name];
      const token = route.access === 'service' ? team.serviceToken : team.owner.token;
      const state = async () => ({
        list: (await api.get(portingPath(team.workspaceId), team.owner.token)).body.data,
        events: (await auditLog(api, team.workspaceId, team.owner.token)).length,
      });
      const before = await state();
      const send = (rawBody: string) =>
        api.request(route.method, path, { token, rawBody, headers: { 'content-type': 'application/json' } });
      await expectBadBodiesRefused(route, sample, send, {
        numRuns: 15,
        also: (response) => expect(JSON.stringify(response.body)).not.toContain(body.pin as string),
      });
      expect(await state()).toEqual(before);
    },
  );

  it('refuses generated list queries and path ids with a 4xx, never a 5xx', async () => {
    const team = await createTeam(api);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('status', 'limit', 'after', 'sort'),
        hostileString,
        fc.string({ minLength: 1, maxLength: 300 }),
        async (key, value, id) => {
          const listed = await api.get(
            `${portingPath(team.workspaceId)}?${key}=${encodeURIComponent(value)}`,
            team.owner.token,
          );
          if (listed.status !== 200) expectErrorBody(listed, `${key}=${value}`);
          const one = await api.get(requestPath(team.workspaceId, encodeURIComponent(id)), team.owner.token);
          expect([400, 404]).toContain(one.status);
          const carrier = await api.get(
            carrierPath(team.workspaceId, encodeURIComponent(id)),
            team.serviceToken,
          );
          expect([400, 404]).toContain(carrier.status);
        },
      ),
      { numRuns: 25 },
    );
  });
});
