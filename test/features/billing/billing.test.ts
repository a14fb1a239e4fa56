import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../../support/api';
import { startTestApi, type TestApi } from '../../support/api';
import { at, billingPath, ledgerLines } from '../../support/billing';
import { addNumber, newNumber, numbersPath } from '../../support/numbers';
import { createTeam, type Team } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

const today = () => new Date().toISOString().slice(0, 10);

/** A ledger line, as far as these tests read it. */
interface Line {
  kind: string;
  reason: string;
  amount: { amountCents: number };
  subject: { id: string };
}

describe.concurrent('the bill and the price of a change', () => {
  it('bills the creator’s seat at creation, for the period from that day', async () => {
    const team = await createTeam(api);
    const bill = await api.get(billingPath(team.workspaceId), team.owner.token);
    expect(bill.status).toBe(200);
    expect(bill.body.data).toMatchObject({
      plan: 'starter',
      status: 'active',
      periodStart: today(),
      seats: 3,
      numbers: 0,
      includedNumbers: 0,
      extraNumbers: 0,
      prices: {
        seatAnnual: { amountCents: 18_000, currency: 'USD' },
        extraNumberAnnual: { amountCents: 6_000 },
      },
      renewal: { amount: { amountCents: 3 * 18_000 } },
      creditBalance: { amountCents: 0 },
      // The creator's seat; the test's other two members are seeded without a charge.
      due: { amountCents: 18_000 },
    });
    const ledger = (await api.get(`${billingPath(team.workspaceId)}/ledger`, team.owner.token)).body;
    expect(ledger.data).toMatchObject([
      {
        kind: 'charge',
        reason: 'seat.added',
        quantity: 1,
        amount: { amountCents: 18_000 },
        subject: { type: 'member', id: team.owner.userId },
      },
    ]);
  });

  it('prices a seat added on the period’s first day at exactly the annual price, and refuses what cannot be', async () => {
    const team = await createTeam(api);
    const preview = await api.post(`${billingPath(team.workspaceId)}/preview`, team.owner.token, {
      seats: 2,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.data).toMatchObject({
      lines: [{ kind: 'charge', reason: 'seat.added', quantity: 2, amount: { amountCents: 36_000 } }],
      creditApplied: { amountCents: 0 },
      due: { amountCents: 36_000 },
      balanceAfter: { amountCents: 0 },
    });
    const numbers = await api.post(`${billingPath(team.workspaceId)}/preview`, team.owner.token, {
      numbers: 4,
    });
    // Three seats include three numbers: the fourth is extra.
    expect(numbers.body.data.lines).toMatchObject([
      { reason: 'number.added', quantity: 1, amount: { amountCents: 6_000 } },
    ]);
    for (const body of [
      {},
      { seats: -3 },
      { numbers: -1 },
      { seats: 1.5 },
      { plan: 'gold' },
      { seats: 20_000 },
    ]) {
      const refused = await api.post(`${billingPath(team.workspaceId)}/preview`, team.owner.token, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('is for billing.manage: owners, admins only with adminsCanManageBilling (D2); members 403, others 404', async () => {
    const team = await createTeam(api);
    const other = await createTeam(api, 'Other');
    expect((await api.get(billingPath(team.workspaceId), team.admin.token)).status).toBe(403);
    expect((await api.get(billingPath(team.workspaceId), team.member.token)).status).toBe(403);
    expect((await api.get(billingPath(team.workspaceId), team.outsider.token)).status).toBe(404);
    expect((await api.get(billingPath(team.workspaceId), other.owner.token)).status).toBe(404);
    const settings = await api.patch(`/v1/workspaces/${team.workspaceId}`, team.owner.token, {
      settings: { adminsCanManageBilling: true },
    });
    expect(settings.status).toBe(200);
    expect((await api.get(billingPath(team.workspaceId), team.admin.token)).status).toBe(200);
    expect(
      (await api.post(`${billingPath(team.workspaceId)}/preview`, team.member.token, { seats: 1 })).status,
    ).toBe(403);
  });
});

/** Invites addresses (by the owner), and answers each invitee signed in with its invitation's id. */
async function invitees(team: Team, count: number) {
  const people = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      api.user({ email: `seat${index}-${randomBytes(3).toString('hex')}@acme.test` }),
    ),
  );
  const invited = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.owner.token, {
    emails: people.map((person) => person.email),
    role: 'member',
    phoneAssignment: { mode: 'new' },
  });
  expect(invited.status).toBe(201);
  return people.map((person) => ({
    person,
    invitationId: invited.body.data.find(
      (invitation: { email: string }) => invitation.email === person.email.toLowerCase(),
    ).id as string,
  }));
}

describe('seats billed with the change that adds them', () => {
  // Twenty accepts take turns on one billing item: beside another test file on two CPUs, past the default 30 s.
  it('charges each accepted invitation in its own transaction, 20 at once, and the balance is the sum of the lines', async () => {
    const team = await createTeam(api);
    const people = await invitees(team, 20);
    const accepted = await Promise.all(
      people.map(({ person, invitationId }) =>
        api.post('/v1/invitations/accept', person.token, { workspaceId: team.workspaceId, invitationId }),
      ),
    );
    expect(accepted.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    // A retried accept charges nothing more.
    const again = await api.post('/v1/invitations/accept', people[0]?.person.token, {
      workspaceId: team.workspaceId,
      invitationId: people[0]?.invitationId,
    });
    expect(again.status).toBe(409);
    const bill = (await api.get(billingPath(team.workspaceId), team.owner.token)).body.data;
    const ledger = await ledgerLines<Line>(api, team.workspaceId, team.owner.token);
    expect(bill.seats).toBe(23);
    expect(ledger).toHaveLength(21); // with the creator’s seat
    expect(ledger.every((line) => line.reason === 'seat.added' && line.kind === 'charge')).toBe(true);
    const charged = ledger.reduce((sum, line) => sum + line.amount.amountCents, 0);
    expect(bill.due.amountCents).toBe(charged);
    // On the period's first day, each seat costs the annual price exactly.
    expect(charged).toBe(21 * 18_000);
    expect(new Set(ledger.map((line) => line.subject.id))).toEqual(
      new Set([team.owner.userId, ...people.map(({ person }) => person.userId)]),
    );
  }, 120_000);

  it('credits a removal, nets a same-day add and remove to zero, and charges the number a removal turns extra', async () => {
    const team = await createTeam(api);
    const [{ person, invitationId }] = (await invitees(team, 1)) as [
      { person: TestUser; invitationId: string },
    ];
    expect(
      (
        await api.post('/v1/invitations/accept', person.token, {
          workspaceId: team.workspaceId,
          invitationId,
        })
      ).status,
    ).toBe(200);
    // Four seats hold four numbers: the removal makes one of them extra.
    for (let index = 0; index < 4; index++) await addNumber(api, team.workspaceId, team.owner);
    expect(
      (await api.del(`/v1/workspaces/${team.workspaceId}/members/${person.userId}`, team.owner.token)).status,
    ).toBe(204);
    const ledger = await ledgerLines<Line>(api, team.workspaceId, team.owner.token);
    const lines = ledger.reverse().map((line) => [line.kind, line.reason, line.amount.amountCents]);
    expect(lines).toEqual([
      ['charge', 'seat.added', 18_000],
      ['charge', 'seat.added', 18_000],
      ['credit', 'seat.removed', 18_000],
      ['charge', 'number.added', 6_000],
      ['creditApplied', 'number.added', 6_000],
    ]);
    const bill = (await api.get(billingPath(team.workspaceId), team.owner.token)).body.data;
    expect(bill).toMatchObject({
      seats: 3,
      creditBalance: { amountCents: 12_000 },
      due: { amountCents: 36_000 },
    });
  });
});

describe.concurrent('plan changes and cancellation', () => {
  it('charges an upgrade’s difference on every seat, and refuses a downgrade the workspace has outgrown', async () => {
    const team = await createTeam(api);
    const upgraded = await api.patch(billingPath(team.workspaceId), team.owner.token, { plan: 'business' });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.data).toMatchObject({ plan: 'business', due: { amountCents: 18_000 + 3 * 9_600 } });
    const [line] = (await api.get(`${billingPath(team.workspaceId)}/ledger`, team.owner.token)).body.data;
    expect(line).toMatchObject({
      kind: 'charge',
      reason: 'plan.changed',
      quantity: 3,
      unitAnnual: { amountCents: 9_600 },
    });
    // A custom ring order is a Business feature: Starter is refused while a number uses one.
    const id = await addNumber(api, team.workspaceId, team.owner);
    const ringOrder = await api.put(
      `/v1/workspaces/${team.workspaceId}/phone-numbers/${id}/ring-order`,
      team.owner.token,
      {
        mode: 'custom',
        order: [],
      },
    );
    expect(ringOrder.status).toBe(200);
    const refused = await api.patch(billingPath(team.workspaceId), team.owner.token, { plan: 'starter' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('PLAN_LIMITS_EXCEEDED');
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: `phoneNumbers.${id}.ringOrder` })]);
    expect((await api.get(billingPath(team.workspaceId), team.owner.token)).body.data.plan).toBe('business');
  });

  it('cancels for an owner only: the credit expires, and every change after is refused', async () => {
    const team = await createTeam(api);
    expect(
      (await api.del(`/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`, team.owner.token))
        .status,
    ).toBe(204);
    await api.patch(`/v1/workspaces/${team.workspaceId}`, team.owner.token, {
      settings: { adminsCanManageBilling: true },
    });
    const byAdmin = await api.post(`${billingPath(team.workspaceId)}/cancel`, team.admin.token);
    expect(byAdmin.status).toBe(403);
    const cancelled = await api.post(`${billingPath(team.workspaceId)}/cancel`, team.owner.token);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', creditBalance: { amountCents: 0 } });
    const [expired] = (await api.get(`${billingPath(team.workspaceId)}/ledger`, team.owner.token)).body.data;
    expect(expired).toMatchObject({
      kind: 'creditExpired',
      reason: 'cancellation',
      amount: { amountCents: 18_000 },
    });
    expect((await api.post(`${billingPath(team.workspaceId)}/cancel`, team.owner.token)).body.code).toBe(
      'WORKSPACE_INACTIVE',
    );
    expect(
      (await api.patch(billingPath(team.workspaceId), team.owner.token, { plan: 'scale' })).body.code,
    ).toBe('WORKSPACE_INACTIVE');
    const preview = await api.post(`${billingPath(team.workspaceId)}/preview`, team.owner.token, {
      seats: 1,
    });
    expect([preview.status, preview.body.code]).toEqual([409, 'WORKSPACE_INACTIVE']);
    // The bill stays readable, and renews for nothing.
    expect((await api.get(billingPath(team.workspaceId), team.owner.token)).body.data.renewal.amount).toEqual(
      {
        amountCents: 0,
        currency: 'USD',
      },
    );
    expect(
      (await api.post(numbersPath(team.workspaceId), team.owner.token, { number: newNumber() })).body.code,
    ).toBe('WORKSPACE_INACTIVE');
  });
});

describe('the worked examples of docs/billing.md, over HTTP (X-Dev-Now)', () => {
  it('example 1: a seat added on day 183 of 365 on Business costs 13,838 cents', async () => {
    const owner = await api.user();
    const created = await api.post(
      '/v1/workspaces',
      owner.token,
      { name: 'Mid', plan: 'business' },
      at('2027-01-15T09:00:00Z'),
    );
    expect(created.status).toBe(201);
    const workspaceId = created.body.data.id as string;
    const team = { workspaceId, owner } as unknown as Team;
    const bill = (await api.get(billingPath(workspaceId), owner.token, at('2027-01-15T09:00:00Z'))).body.data;
    expect(bill).toMatchObject({
      periodStart: '2027-01-15',
      periodEnd: '2028-01-15',
      due: { amountCents: 27_600 },
    });
    const person = await api.user({ email: `mid-${randomBytes(3).toString('hex')}@acme.test` });
    const invited = await api.post(
      `/v1/workspaces/${workspaceId}/invitations`,
      owner.token,
      { emails: [person.email], role: 'member', phoneAssignment: { mode: 'new' } },
      at('2027-07-16T12:00:00Z'),
    );
    expect(invited.status).toBe(201);
    const preview = await api.post(
      `${billingPath(workspaceId)}/preview`,
      owner.token,
      { seats: 1 },
      at('2027-07-16T12:00:00Z'),
    );
    const accepted = await api.post(
      '/v1/invitations/accept',
      person.token,
      { workspaceId, invitationId: invited.body.data[0].id },
      at('2027-07-16T23:59:00Z'),
    );
    expect(accepted.status).toBe(200);
    const [line] = (await api.get(`${billingPath(team.workspaceId)}/ledger`, owner.token)).body.data;
    expect(line).toMatchObject({
      reason: 'seat.added',
      days: 183,
      daysInPeriod: 365,
      amount: { amountCents: 13_838 },
    });
    // The preview made that day is the charge, to the cent.
    expect(preview.body.data.lines[0].amount).toEqual(line.amount);
    const refused = await api.get(billingPath(workspaceId), owner.token, {
      headers: { 'x-dev-now': 'tomorrow' },
    });
    expect(refused.status).toBe(400);
  });
});
