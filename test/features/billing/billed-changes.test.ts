import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../shared/routes';
import { startTestApi, type TestApi } from '../../support/api';
import { billingPath, ledgerLines } from '../../support/billing';
import { domainPath, joinAs, verifiedDomain } from '../../support/domains';
import { addNumber, newNumber, numbersPath } from '../../support/numbers';
import { pathTo } from '../../support/paths';
import { carrierReports, submitPort } from '../../support/porting';
import { createTeam, type Team } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

/** The lines a change wrote: what the ledger holds now beyond `before`, oldest first, as [kind, reason, quantity, cents]. */
async function linesSince(team: Team, before: Set<string>) {
  const ledger = await ledgerLines<{
    id: string;
    kind: string;
    reason: string;
    quantity: number;
    amount: { amountCents: number };
  }>(api, team.workspaceId, team.owner.token);
  return ledger
    .filter((line) => !before.has(line.id))
    .reverse()
    .map((line) => [line.kind, line.reason, line.quantity, line.amount.amountCents]);
}

const ledgerIds = async (team: Team) =>
  new Set(
    (await ledgerLines<{ id: string }>(api, team.workspaceId, team.owner.token)).map((line) => line.id),
  );

/** The bill's seats, numbers, credit and due: each change below moves them with its line. */
async function bill(team: Team) {
  const data = (await api.get(billingPath(team.workspaceId), team.owner.token)).body.data;
  return {
    seats: data.seats,
    numbers: data.numbers,
    credit: data.creditBalance.amountCents,
    due: data.due.amountCents,
  };
}

// Starter, on the period's first day: a seat is 18,000 cents, an extra number 6,000.
describe.concurrent('every billed change writes its line with it, over HTTP', () => {
  it('a domain join and an approved join request each charge a seat', async () => {
    const team = await createTeam(api);
    const { domain } = await verifiedDomain(api, team);
    let before = await ledgerIds(team);
    const joiner = await api.user({ email: `grace@${domain}` });
    expect((await joinAs(api, team.workspaceId, joiner.token)).status).toBe(201);
    expect(await linesSince(team, before)).toEqual([['charge', 'seat.added', 1, 18_000]]);

    await api.patch(domainPath(team, domain), team.owner.token, { joinPolicy: 'approval' });
    const asking = await api.user({ email: `hal@${domain}` });
    expect((await joinAs(api, team.workspaceId, asking.token)).status).toBe(202);
    before = await ledgerIds(team);
    const approved = await api.post(
      pathTo(routes.approveJoinRequest, { workspaceId: team.workspaceId, userId: asking.userId }),
      team.owner.token,
    );
    expect(approved.status).toBe(201);
    expect(await linesSince(team, before)).toEqual([['charge', 'seat.added', 1, 18_000]]);
    expect(await bill(team)).toMatchObject({ seats: 5, due: 3 * 18_000 });
  });

  it('leaving credits the seat', async () => {
    const team = await createTeam(api);
    const before = await ledgerIds(team);
    expect((await api.post(`/v1/workspaces/${team.workspaceId}/leave`, team.member.token)).status).toBe(204);
    expect(await linesSince(team, before)).toEqual([['credit', 'seat.removed', 1, 18_000]]);
    expect(await bill(team)).toMatchObject({ seats: 2, credit: 18_000 });
  });

  it('an extra number is charged when added and credited when released; an included one moves no money', async () => {
    const team = await createTeam(api);
    let before = await ledgerIds(team);
    // Three seats include three numbers.
    for (let n = 0; n < 3; n++) await addNumber(api, team.workspaceId, team.owner);
    expect(await linesSince(team, before)).toEqual([]);
    expect(await bill(team)).toMatchObject({ numbers: 3, due: 18_000 });
    const fourth = await addNumber(api, team.workspaceId, team.owner);
    expect(await linesSince(team, before)).toEqual([['charge', 'number.added', 1, 6_000]]);
    before = await ledgerIds(team);
    expect((await api.del(`${numbersPath(team.workspaceId)}/${fourth}`, team.owner.token)).status).toBe(204);
    expect(await linesSince(team, before)).toEqual([['credit', 'number.removed', 1, 6_000]]);
    expect(await bill(team)).toMatchObject({ numbers: 3, credit: 6_000, due: 18_000 + 6_000 });
  });

  it('a completed port adds its number to the bill, in the completion’s own transaction', async () => {
    const team = await createTeam(api);
    for (let n = 0; n < 3; n++) await addNumber(api, team.workspaceId, team.owner);
    const { request } = await submitPort(api, team.workspaceId, team.owner, { assignTo: team.member.userId });
    const service = (await api.issuer.signService()).token;
    await carrierReports(api, service, team.workspaceId, request.id, 'in-progress');
    const before = await ledgerIds(team);
    await carrierReports(api, service, team.workspaceId, request.id, 'completed');
    expect(await linesSince(team, before)).toEqual([['charge', 'number.added', 1, 6_000]]);
    expect(await bill(team)).toMatchObject({ numbers: 4 });
  });

  it('the onboarding pick of a member invited with a new number is billed like any number', async () => {
    const team = await createTeam(api);
    for (let n = 0; n < 3; n++) await addNumber(api, team.workspaceId, team.owner);
    const person = await api.user();
    const invited = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.owner.token, {
      emails: [person.email],
      role: 'member',
      phoneAssignment: { mode: 'new' },
    });
    const accepted = await api.post('/v1/invitations/accept', person.token, {
      workspaceId: team.workspaceId,
      invitationId: invited.body.data[0].id,
    });
    expect(accepted.status).toBe(200);
    // Four seats now include the three numbers and the one picked.
    let before = await ledgerIds(team);
    const picked = await api.post(numbersPath(team.workspaceId), person.token, { number: newNumber() });
    expect(picked.status, JSON.stringify(picked.body)).toBe(201);
    expect(await linesSince(team, before)).toEqual([]);
    expect(await bill(team)).toMatchObject({ seats: 4, numbers: 4 });
    // The next number is extra.
    before = await ledgerIds(team);
    await addNumber(api, team.workspaceId, team.owner);
    expect(await linesSince(team, before)).toEqual([['charge', 'number.added', 1, 6_000]]);
  });
});
