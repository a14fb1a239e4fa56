import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingKey } from '../../../shared/db/keys';
import type { TestUser } from '../../support/api';
import { startTestApi, type TestApi } from '../../support/api';
import { at, billingPath, ledgerLines } from '../../support/billing';
import { addNumber } from '../../support/numbers';
import { createTeam } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

interface Line {
  kind: string;
  reason: string;
  quantity: number;
  days: number;
  daysInPeriod: number;
  amount: { amountCents: number };
  periodStart: string;
  periodEnd: string;
  balanceAfter: { amountCents: number };
}

/** The ledger, oldest first, as `[kind, reason, cents]`. */
async function ledgerOf(workspaceId: string, owner: TestUser): Promise<Line[]> {
  return (await ledgerLines<Line>(api, workspaceId, owner.token)).reverse();
}
const summary = (lines: Line[]) => lines.map((line) => [line.kind, line.reason, line.amount.amountCents]);

/** A workspace created by a new owner as of `instant`. */
async function workspaceAt(instant: string, plan: string) {
  const owner = await api.user();
  const created = await api.post('/v1/workspaces', owner.token, { name: 'Dated', plan }, at(instant));
  expect(created.status).toBe(201);
  return { owner, workspaceId: created.body.data.id as string };
}

/** Someone invited and joining, both as of `instant`. */
async function joinAt(workspaceId: string, owner: TestUser, instant: string): Promise<TestUser> {
  const person = await api.user({ email: `dated-${randomBytes(4).toString('hex')}@acme.test` });
  const invited = await api.post(
    `/v1/workspaces/${workspaceId}/invitations`,
    owner.token,
    { emails: [person.email], role: 'member', phoneAssignment: { mode: 'new' } },
    at(instant),
  );
  expect(invited.status).toBe(201);
  const accepted = await api.post(
    '/v1/invitations/accept',
    person.token,
    { workspaceId, invitationId: invited.body.data[0].id },
    at(instant),
  );
  expect(accepted.status).toBe(200);
  return person;
}

/** Where the billing item stands on the renewal list (GSI1), as stored. */
async function listed(workspaceId: string) {
  const { Item } = await api.documents.send(
    new GetCommand({ TableName: api.tableName, Key: billingKey(workspaceId), ConsistentRead: true }),
  );
  return { GSI1PK: Item?.GSI1PK, GSI1SK: Item?.GSI1SK };
}

const renew = (now: string) => api.post('/dev/jobs/renew-subscriptions', undefined, { now });

// In the past, and one after the other: the job renews every subscription due by its `now` in this database,
// and today's workspaces (other tests') are due in a year only.
describe('renewal, and prices across a leap year (X-Dev-Now)', () => {
  it('prices a seat by the days of a 366-day period: example 3 of docs/billing.md', async () => {
    const { owner, workspaceId } = await workspaceAt('2024-02-29T08:00:00Z', 'starter');
    const bill = (await api.get(billingPath(workspaceId), owner.token, at('2024-02-29T08:00:00Z'))).body.data;
    // A 29 February start ends on 1 March.
    expect(bill).toMatchObject({ periodStart: '2024-02-29', periodEnd: '2025-03-01' });
    const preview = await api.post(
      `${billingPath(workspaceId)}/preview`,
      owner.token,
      { seats: 1 },
      at('2024-09-01T08:00:00Z'),
    );
    await joinAt(workspaceId, owner, '2024-09-01T20:00:00Z');
    const lines = await ledgerOf(workspaceId, owner);
    expect(lines[1]).toMatchObject({
      kind: 'charge',
      reason: 'seat.added',
      days: 181,
      daysInPeriod: 366,
      amount: { amountCents: 8_902 },
    });
    expect(preview.body.data.lines).toEqual([
      expect.objectContaining({ days: 181, daysInPeriod: 366, amount: lines[1]?.amount }),
    ]);
  });

  it('renews once per period, run twice or twice at once, paying from credit first', async () => {
    const { owner, workspaceId } = await workspaceAt('2025-03-10T09:00:00Z', 'business');
    const person = await joinAt(workspaceId, owner, '2025-03-10T10:00:00Z');
    const removed = await api.del(
      `/v1/workspaces/${workspaceId}/members/${person.userId}`,
      owner.token,
      at('2025-09-10T10:00:00Z'),
    );
    expect(removed.status).toBe(204);
    // The day before the period ends, nothing is due.
    expect((await renew('2026-03-09T23:59:59Z')).status).toBe(200);
    expect(await ledgerOf(workspaceId, owner)).toHaveLength(3);

    const runs = await Promise.all([renew('2026-03-10T06:00:00Z'), renew('2026-03-10T06:00:00Z')]);
    expect(runs.map((run) => run.status)).toEqual([200, 200]);
    expect(runs.map((run) => run.body.data.failed)).toEqual([0, 0]);
    expect((await renew('2026-03-10T18:00:00Z')).body.data).toMatchObject({ failed: 0, incomplete: false });

    const lines = await ledgerOf(workspaceId, owner);
    expect(summary(lines)).toEqual([
      ['charge', 'seat.added', 27_600],
      ['charge', 'seat.added', 27_600],
      // 181 of 365 days left: 13,686.58 → 13,687.
      ['credit', 'seat.removed', 13_687],
      ['charge', 'renewal', 27_600],
      ['creditApplied', 'renewal', 13_687],
    ]);
    expect(lines[3]).toMatchObject({
      quantity: 1,
      periodStart: '2026-03-10',
      periodEnd: '2027-03-10',
      days: 365,
      daysInPeriod: 365,
    });
    const bill = (await api.get(billingPath(workspaceId), owner.token)).body.data;
    expect(bill).toMatchObject({
      periodStart: '2026-03-10',
      periodEnd: '2027-03-10',
      seats: 1,
      creditBalance: { amountCents: 0 },
      due: { amountCents: 27_600 + 27_600 + 27_600 - 13_687 },
      renewal: { at: '2027-03-10', amount: { amountCents: 27_600 } },
    });
    // Off the due range: on the renewal list at the new period's end, so no later run reads it again today.
    expect(await listed(workspaceId)).toEqual({ GSI1PK: '#RENEWALS', GSI1SK: `2027-03-10#${workspaceId}` });
  });

  it('renews first when a change comes after the period ended and before the job', async () => {
    const { owner, workspaceId } = await workspaceAt('2025-06-01T12:00:00Z', 'starter');
    await joinAt(workspaceId, owner, '2026-06-03T12:00:00Z');
    expect((await renew('2026-06-03T13:00:00Z')).body.data.failed).toBe(0);
    const lines = await ledgerOf(workspaceId, owner);
    expect(summary(lines)).toEqual([
      ['charge', 'seat.added', 18_000],
      ['charge', 'renewal', 18_000],
      // 363 of the new period's 365 days.
      ['charge', 'seat.added', 17_901],
    ]);
    expect(lines[2]).toMatchObject({ periodStart: '2026-06-01', days: 363, daysInPeriod: 365 });
  });

  it('never renews a cancelled subscription', async () => {
    const { owner, workspaceId } = await workspaceAt('2025-01-20T12:00:00Z', 'starter');
    const cancelled = await api.post(
      `${billingPath(workspaceId)}/cancel`,
      owner.token,
      undefined,
      at('2025-04-01T12:00:00Z'),
    );
    expect(cancelled.status).toBe(200);
    expect((await renew('2026-01-21T00:00:00Z')).body.data.failed).toBe(0);
    expect(summary(await ledgerOf(workspaceId, owner))).toEqual([['charge', 'seat.added', 18_000]]);
    expect((await api.get(billingPath(workspaceId), owner.token)).body.data).toMatchObject({
      status: 'cancelled',
      periodEnd: '2026-01-20',
      renewal: { at: '2026-01-20', amount: { amountCents: 0 } },
    });
    // Off the renewal list altogether.
    expect(await listed(workspaceId)).toEqual({ GSI1PK: undefined, GSI1SK: undefined });
  });

  it('fails its invocation when it stops unfinished, so the alarm sees it and Lambda retries', async () => {
    // Imported here: the handler reads the table's settings, which the test server has set.
    const { handler } = await import('../../../functions/billing/renewSubscriptions');
    await expect(handler({}, { getRemainingTimeInMillis: () => 0 })).rejects.toThrow(/Renewals unfinished/);
  });

  it('refuses a bad instant with a 400 and changes nothing', async () => {
    for (const now of ['yesterday', '2026-13-01T00:00:00Z', 42]) {
      const refused = await api.post('/dev/jobs/renew-subscriptions', undefined, { now });
      expect(refused.status, String(now)).toBe(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await api.post('/dev/jobs/renew-subscriptions', undefined, { now: 'x', extra: 1 })).status).toBe(
      400,
    );
  });
});

describe('what an invitation would bill, and seats changed at once', () => {
  it('answers the batch’s billing to those who manage billing: the seats, net of the extra numbers they include', async () => {
    const team = await createTeam(api);
    // Three seats, four numbers: one is extra, and the first seat added makes it included again.
    for (let index = 0; index < 4; index++) await addNumber(api, team.workspaceId, team.owner);
    const emails = [1, 2].map((index) => `bill${index}-${randomBytes(3).toString('hex')}@acme.test`);
    const invited = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.owner.token, {
      emails: [...emails, 'not-an-address'],
      role: 'member',
      phoneAssignment: { mode: 'new' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.billing).toEqual({
      seatsAdded: 2,
      chargeToday: { amountCents: 2 * 18_000 - 6_000, currency: 'USD' },
    });
    const preview = await api.post(`${billingPath(team.workspaceId)}/preview`, team.owner.token, {
      seats: 2,
    });
    const net = (preview.body.data.lines as Line[]).reduce(
      (sum, line) =>
        sum +
        (line.kind === 'charge'
          ? line.amount.amountCents
          : line.kind === 'credit'
            ? -line.amount.amountCents
            : 0),
      0,
    );
    expect(invited.body.billing.chargeToday.amountCents).toBe(net);

    const byAdmin = async () =>
      api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.admin.token, {
        emails: [`admin-${randomBytes(3).toString('hex')}@acme.test`],
        role: 'member',
        phoneAssignment: { mode: 'new' },
      });
    const withoutD2 = await byAdmin();
    expect(withoutD2.status).toBe(201);
    expect(withoutD2.body).not.toHaveProperty('billing');
    await api.patch(`/v1/workspaces/${team.workspaceId}`, team.owner.token, {
      settings: { adminsCanManageBilling: true },
    });
    const withD2 = await byAdmin();
    // Nobody accepted yet: the fourth number is still extra, and this seat would include it.
    expect(withD2.body.billing).toEqual({
      seatsAdded: 1,
      chargeToday: { amountCents: 18_000 - 6_000, currency: 'USD' },
    });
    const byMember = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.member.token, {
      emails: [`member-${randomBytes(3).toString('hex')}@acme.test`],
      role: 'member',
      phoneAssignment: { mode: 'new' },
    });
    expect(byMember.status).toBe(201);
    expect(byMember.body).not.toHaveProperty('billing');
  });

  it('charges a retried accept once, also two at once', async () => {
    const team = await createTeam(api);
    const person = await api.user({ email: `twice-${randomBytes(3).toString('hex')}@acme.test` });
    const invited = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.owner.token, {
      emails: [person.email],
      role: 'member',
      phoneAssignment: { mode: 'new' },
    });
    const accept = () =>
      api.post('/v1/invitations/accept', person.token, {
        workspaceId: team.workspaceId,
        invitationId: invited.body.data[0].id,
      });
    const both = await Promise.all([accept(), accept()]);
    expect(both.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect((await accept()).status).toBe(409);
    const seats = (await ledgerOf(team.workspaceId, team.owner)).filter(
      (line) => line.reason === 'seat.added',
    );
    expect(seats).toHaveLength(2); // the creator's and this one
    expect((await api.get(billingPath(team.workspaceId), team.owner.token)).body.data.seats).toBe(4);
  });

  // Twenty billed changes take turns on one billing item.
  it('keeps the balance the sum of the lines over 20 accepts and removals at once', async () => {
    const team = await createTeam(api);
    const invite = async (count: number) => {
      const people = await Promise.all(
        Array.from({ length: count }, () =>
          api.user({ email: `mix-${randomBytes(4).toString('hex')}@acme.test` }),
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
        accept: () =>
          api.post('/v1/invitations/accept', person.token, {
            workspaceId: team.workspaceId,
            invitationId: invited.body.data.find(
              (invitation: { email: string }) => invitation.email === person.email.toLowerCase(),
            ).id,
          }),
      }));
    };
    const leaving = await invite(10);
    for (const { accept } of leaving) expect((await accept()).status).toBe(200);
    const joining = await invite(10);
    const answers = await Promise.all([
      ...joining.map(({ accept }) => accept()),
      ...leaving.map(({ person }) =>
        api.del(`/v1/workspaces/${team.workspaceId}/members/${person.userId}`, team.owner.token),
      ),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([
      ...Array(10).fill(200),
      ...Array(10).fill(204),
    ]);
    const lines = await ledgerOf(team.workspaceId, team.owner);
    const total = (kind: string) =>
      lines.filter((line) => line.kind === kind).reduce((sum, line) => sum + line.amount.amountCents, 0);
    const bill = (await api.get(billingPath(team.workspaceId), team.owner.token)).body.data;
    expect(bill.seats).toBe(13);
    const chargesFor = (reason: string) =>
      lines.filter((line) => line.reason === reason && line.kind !== 'creditApplied');
    expect(chargesFor('seat.added')).toHaveLength(21);
    expect(chargesFor('seat.removed')).toHaveLength(10);
    expect(bill.creditBalance.amountCents).toBe(total('credit') - total('creditApplied'));
    expect(bill.due.amountCents).toBe(total('charge') - total('creditApplied'));
    // Each line's balance follows from the one before it: no two changes priced from the same balance.
    let balance = 0;
    for (const line of lines) {
      balance +=
        line.kind === 'credit'
          ? line.amount.amountCents
          : line.kind === 'charge'
            ? 0
            : -line.amount.amountCents;
      expect(line.balanceAfter.amountCents).toBe(balance);
    }
  }, 120_000);
});
