import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plans } from '../../../shared/access/tenancy';
import { routes as billingRoutes } from '../../../shared/features/billing/routes';
import { type ApiResponse, startTestApi, type TestApi, type TestUser } from '../../support/api';
import { at, billingPath, ledgerLines } from '../../support/billing';
import { expectBadBodiesRefused, expectErrorBody, hostileString } from '../../support/fuzz';
import { grant, newNumber } from '../../support/numbers';
import { sampleRequests } from '../../support/samples';
import { createTeam, seedMember, type Team } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

interface Line {
  id: string;
  kind: string;
  amount: { amountCents: number };
  balanceAfter: { amountCents: number };
}

const ledgerOf = (team: Team) => ledgerLines<Line>(api, team.workspaceId, team.owner.token);

/** The bill and its ledger: what a refused (or previewed) request must leave as it was. */
async function snapshot(team: Team) {
  const [bill, ledger] = await Promise.all([
    api.get(billingPath(team.workspaceId), team.owner.token),
    ledgerOf(team),
  ]);
  return { bill: bill.body.data, ledger: ledger.map((line) => line.id) };
}

/** The lines, oldest first, each balance following from the one before, and the bill their sum. */
async function expectLedgerAgrees(team: Team) {
  const lines = (await ledgerOf(team)).reverse();
  let balance = 0;
  let due = 0;
  for (const line of lines) {
    const cents = line.amount.amountCents;
    if (line.kind === 'credit') balance += cents;
    if (line.kind === 'charge') due += cents;
    if (line.kind === 'creditApplied' || line.kind === 'creditExpired') balance -= cents;
    if (line.kind === 'creditApplied') due -= cents;
    expect(line.balanceAfter.amountCents, JSON.stringify(line)).toBe(balance);
  }
  const bill = (await api.get(billingPath(team.workspaceId), team.owner.token)).body.data;
  expect(bill.creditBalance.amountCents).toBe(balance);
  expect(bill.due.amountCents).toBe(due);
  return bill;
}

describe.concurrent('hostile bodies and queries on the billing routes', () => {
  const bodyRoutes = ['previewBilling', 'changePlan'] as const;

  it('fuzzes every billing route that takes a body', () => {
    const withBody = Object.entries(billingRoutes)
      .filter(([, route]) => 'body' in route.input)
      .map(([name]) => name);
    expect(new Set(withBody)).toEqual(new Set(bodyRoutes));
  });

  it.each(bodyRoutes)(
    '%s: every generated bad body is a 4xx with the error body, and the bill is unchanged',
    async (name) => {
      const team = await createTeam(api);
      const route = billingRoutes[name];
      const sample = sampleRequests[name](team);
      const before = await snapshot(team);
      const send = (rawBody: string) =>
        api.request(route.method, sample.path, {
          token: team.owner.token,
          rawBody,
          headers: { 'content-type': 'application/json' },
        });
      await expectBadBodiesRefused(route, sample.body as Record<string, unknown>, send, { numRuns: 20 });
      expect(await snapshot(team)).toEqual(before);
    },
  );

  it('a preview of any well-typed change is never a 5xx and never writes; a refused plan change changes nothing', async () => {
    const team = await createTeam(api);
    const count = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.integer({ min: -2_000_000, max: 2_000_000 }),
      fc.constantFrom(0, -3, -4, 9_999, 10_000, 10_001, Number.MAX_SAFE_INTEGER),
    );
    const plan = fc.constantFrom(...plans, 'gold', 'Starter');
    const body = fc.record({ seats: count, numbers: count, plan }, { requiredKeys: [] });
    let before = await snapshot(team);
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (change, preview) => {
        const response = preview
          ? await api.post(`${billingPath(team.workspaceId)}/preview`, team.owner.token, change)
          : await api.patch(billingPath(team.workspaceId), team.owner.token, { plan: change.plan });
        const context = `${preview ? 'preview' : 'plan'} ${JSON.stringify(change)} → ${response.status} ${JSON.stringify(response.body)}`;
        expect(response.status, context).toBeLessThan(500);
        if (response.status >= 400) expectErrorBody(response, context);
        if (preview || response.status >= 400) expect(await snapshot(team), context).toEqual(before);
        else before = await snapshot(team);
      }),
      { numRuns: 30 },
    );
    await expectLedgerAgrees(team);
  });

  /** A value as a query string carries it: every UTF-8 byte percent-encoded. */
  const encoded = (value: string) =>
    [...new TextEncoder().encode(value)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

  it('the ledger’s limit and cursor: anything not well formed is a 400, never a 5xx', async () => {
    const team = await createTeam(api);
    const ledger = `${billingPath(team.workspaceId)}/ledger`;
    const value = fc.oneof(
      hostileString.map(encoded),
      fc.integer({ min: -1_000, max: 1_000 }).map(String),
      fc.constantFrom('1', '100', '101', '0', '-1', '1e2', '50%00', '%'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('limit', 'after'), value, async (parameter, fragment) => {
        const response: ApiResponse = await api.get(`${ledger}?${parameter}=${fragment}`, team.owner.token);
        const context = `?${parameter}=${fragment} → ${response.status} ${JSON.stringify(response.body)}`;
        expect(response.status, context).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.status, context).toBe(400);
          expectErrorBody(response, context);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a ledger cursor is the ledger’s, of its own workspace: another workspace or another list refuses it', async () => {
    const [ours, theirs] = await Promise.all([createTeam(api, 'Acme'), createTeam(api, 'Globex')]);
    // Two lines: the creator's seat, then the removed member's credit.
    const removed = await api.del(
      `/v1/workspaces/${ours.workspaceId}/members/${ours.member.userId}`,
      ours.owner.token,
    );
    expect(removed.status).toBe(204);
    const first = await api.get(`${billingPath(ours.workspaceId)}/ledger?limit=1`, ours.owner.token);
    expect(first.body.data).toHaveLength(1);
    const cursor = encodeURIComponent(first.body.nextCursor as string);
    const next = await api.get(
      `${billingPath(ours.workspaceId)}/ledger?limit=1&after=${cursor}`,
      ours.owner.token,
    );
    expect(next.status).toBe(200);
    expect(next.body.data[0].id).not.toBe(first.body.data[0].id);
    // Their owner is refused our cursor on their ledger, and ours is refused another list's.
    const foreign = await api.get(
      `${billingPath(theirs.workspaceId)}/ledger?after=${cursor}`,
      theirs.owner.token,
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('INVALID_CURSOR');
    const otherList = await api.get(
      `/v1/workspaces/${ours.workspaceId}/members?after=${cursor}`,
      ours.owner.token,
    );
    expect(otherList.body.code).toBe('INVALID_CURSOR');
    // Our ledger is not theirs to read, whatever the cursor.
    const theirsOnOurs = await api.get(`${billingPath(ours.workspaceId)}/ledger`, theirs.owner.token);
    expect(theirsOnOurs.status).toBe(404);
    expect(theirsOnOurs.body.code).toBe('WORKSPACE_NOT_FOUND');
  });
});

describe('preview = charge, over HTTP', () => {
  type Step =
    | { kind: 'addNumber'; day: number }
    | { kind: 'releaseNumber'; day: number }
    | { kind: 'removeMember'; day: number }
    | { kind: 'plan'; plan: (typeof plans)[number]; day: number };
  const day = fc.integer({ min: 0, max: 364 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('addNumber' as const), day }),
    fc.record({ kind: fc.constant('releaseNumber' as const), day }),
    fc.record({ kind: fc.constant('removeMember' as const), day }),
    fc.record({ kind: fc.constant('plan' as const), plan: fc.constantFrom(...plans), day }),
  );
  const shape = (line: Record<string, unknown>) => {
    const { id: _id, at: _at, subject: _subject, ...priced } = line;
    return priced;
  };

  it('bills exactly the lines its preview gave, on the same day, over random sequences of changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 6 }), async (steps) => {
        const team = await createTeam(api);
        const extra = await Promise.all(Array.from({ length: 3 }, () => api.user()));
        for (const user of extra) await seedMember(api, team.workspaceId, user, 'member');
        const removable = [...extra];
        const numbers: string[] = [];
        const ws = `/v1/workspaces/${team.workspaceId}`;
        for (const { kind, day: offset, ...rest } of steps) {
          const asOf = at(new Date(Date.now() + offset * 86_400_000).toISOString());
          const change =
            kind === 'addNumber'
              ? { numbers: 1 }
              : kind === 'releaseNumber'
                ? { numbers: -1 }
                : kind === 'removeMember'
                  ? { seats: -1 }
                  : { plan: (rest as { plan: string }).plan };
          if (kind === 'releaseNumber' && numbers.length === 0) continue;
          if (kind === 'removeMember' && removable.length === 0) continue;
          const preview = await api.post(
            `${billingPath(team.workspaceId)}/preview`,
            team.owner.token,
            change,
            asOf,
          );
          expect(preview.status, JSON.stringify(preview.body)).toBe(200);
          const before = new Set((await ledgerOf(team)).map((line) => line.id));
          const made =
            kind === 'addNumber'
              ? await api.post(`${ws}/phone-numbers`, team.owner.token, { number: newNumber() }, asOf)
              : kind === 'releaseNumber'
                ? await api.del(`${ws}/phone-numbers/${numbers.pop()}`, team.owner.token, asOf)
                : kind === 'removeMember'
                  ? await api.del(`${ws}/members/${removable.pop()?.userId}`, team.owner.token, asOf)
                  : await api.patch(billingPath(team.workspaceId), team.owner.token, change, asOf);
          expect(made.status, JSON.stringify(made.body)).toBeLessThan(300);
          if (kind === 'addNumber') numbers.push(made.body.data.id);
          const lines = (await ledgerOf(team)).filter((line) => !before.has(line.id)).reverse();
          expect(lines.map((line) => shape(line as unknown as Record<string, unknown>))).toEqual(
            preview.body.data.lines.map(shape),
          );
        }
        await expectLedgerAgrees(team);
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});

describe.concurrent('billing’s invariants under parallel requests', () => {
  it('cancels once when five cancellations race: one expiry line, the others 409', async () => {
    const team = await createTeam(api);
    expect(
      (await api.del(`/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`, team.owner.token))
        .status,
    ).toBe(204);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.post(`${billingPath(team.workspaceId)}/cancel`, team.owner.token)),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409]);
    for (const refused of answers.filter((answer) => answer.status === 409))
      expect(refused.body.code).toBe('WORKSPACE_INACTIVE');
    const expired = (await ledgerOf(team)).filter((line) => line.kind === 'creditExpired');
    expect(expired).toHaveLength(1);
    expect((await expectLedgerAgrees(team)).creditBalance.amountCents).toBe(0);
  });

  it('keeps each line priced on the plan it commits under when plan changes and seat changes race', async () => {
    const team = await createTeam(api);
    const people = await Promise.all(Array.from({ length: 4 }, () => api.user()));
    const invited = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.owner.token, {
      emails: people.map((person) => person.email),
      role: 'member',
      phoneAssignment: { mode: 'new' },
    });
    expect(invited.status).toBe(201);
    const invitationOf = (person: TestUser) =>
      invited.body.data.find(
        (invitation: { email: string }) => invitation.email === person.email.toLowerCase(),
      ).id as string;
    const planChanges = ['business', 'scale', 'starter', 'business'].map((plan) =>
      api.patch(billingPath(team.workspaceId), team.owner.token, { plan }),
    );
    const accepts = people.map((person) =>
      api.post('/v1/invitations/accept', person.token, {
        workspaceId: team.workspaceId,
        invitationId: invitationOf(person),
      }),
    );
    const [changed, accepted] = await Promise.all([Promise.all(planChanges), Promise.all(accepts)]);
    expect(accepted.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    // A plan change priced on a plan another one replaced meanwhile is refused, never priced twice.
    for (const answer of changed) expect([200, 409], JSON.stringify(answer.body)).toContain(answer.status);
    const bill = await expectLedgerAgrees(team);
    expect(bill.seats).toBe(7);
    // In the ledger's order, each plan line is priced on the seats held when it committed (3 to 7),
    // and each seat on the plan in force when it committed, whatever plan its accept had read.
    const lines = (await ledgerOf(team)).reverse() as unknown as (Line & {
      reason: string;
      quantity: number;
      unitAnnual: { amountCents: number };
    })[];
    // The creator's line comes first; the team's admin and member are seeded, unbilled.
    let seats = 2;
    let seatPrice = 18_000;
    for (const line of lines) {
      if (line.reason === 'seat.added' && line.kind === 'charge') {
        expect(line.unitAnnual.amountCents).toBe(seatPrice);
        seats += line.quantity;
      }
      if (line.reason === 'plan.changed') {
        expect(line.quantity).toBe(seats);
        seatPrice += (line.kind === 'charge' ? 1 : -1) * line.unitAnnual.amountCents;
      }
    }
    expect(seatPrice).toBe(bill.prices.seatAnnual.amountCents);
  });

  it('never leaves a number over Starter’s cap: a downgrade racing the grant that passes it', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    expect(
      (await api.patch(billingPath(team.workspaceId), team.owner.token, { plan: 'business' })).status,
    ).toBe(200);
    // Ten holders (the team's member and nine more): Starter's cap, reached; an eleventh only on Business.
    const extra: TestUser[] = await Promise.all(Array.from({ length: 10 }, () => api.user()));
    await Promise.all(extra.map((user) => seedMember(api, team.workspaceId, user, 'member')));
    for (const user of extra.slice(0, 9))
      await grant(api, team.workspaceId, id, team.owner, user, 'read-only');
    const eleventh = extra[9] as TestUser;
    const [granted, downgraded] = await Promise.all([
      api.put(
        `/v1/workspaces/${team.workspaceId}/phone-numbers/${id}/access/${eleventh.userId}`,
        team.owner.token,
        {
          access: 'read-only',
        },
      ),
      api.patch(billingPath(team.workspaceId), team.owner.token, { plan: 'starter' }),
    ]);
    // Either may win, never both.
    expect([granted.status, downgraded.status].filter((status) => status === 200)).toHaveLength(1);
    const refused = granted.status === 200 ? downgraded : granted;
    expect(refused.status).toBe(409);
    expectErrorBody(refused, JSON.stringify(refused.body));
    await expectLedgerAgrees(team);
  });

  it('never leaves a custom ring order on Starter: a downgrade racing the order that Starter lacks', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const id = team.phoneNumberId as string;
    expect(
      (await api.patch(billingPath(team.workspaceId), team.owner.token, { plan: 'business' })).status,
    ).toBe(200);
    const [ordered, downgraded] = await Promise.all([
      api.put(`/v1/workspaces/${team.workspaceId}/phone-numbers/${id}/ring-order`, team.owner.token, {
        mode: 'custom',
        order: [team.member.userId],
      }),
      api.patch(billingPath(team.workspaceId), team.owner.token, { plan: 'starter' }),
    ]);
    expect([ordered.status, downgraded.status].filter((status) => status === 200)).toHaveLength(1);
    const refused = ordered.status === 200 ? downgraded : ordered;
    expect([409, 403]).toContain(refused.status);
    expectErrorBody(refused, JSON.stringify(refused.body));
    const number = (await api.get(`/v1/workspaces/${team.workspaceId}/phone-numbers/${id}`, team.owner.token))
      .body.data;
    const plan = (await api.get(billingPath(team.workspaceId), team.owner.token)).body.data.plan;
    expect({ plan, mode: number.ringOrder.mode }).not.toEqual({ plan: 'starter', mode: 'custom' });
  });
});
