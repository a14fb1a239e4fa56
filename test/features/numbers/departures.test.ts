import { BatchWriteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/core/ids';
import { departureKey, e164Key, memberKey } from '../../../shared/db/keys';
import {
  defaultCallFlow,
  defaultNotifications,
  defaultRingOrder,
  numberRecord,
  type PhoneNumberItem,
} from '../../../shared/features/numbers/items';
import { parseNumber } from '../../../shared/features/numbers/phone';
import { startTestApi, type TestApi, type TestUser } from '../../support/api';
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
import { createTeam, seedMember, type Team } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

interface Holder {
  userId: string;
  access: string;
  numberOwner: boolean;
  historyVisibleFrom: string | null;
}
interface Line {
  id: string;
  number: string;
  access: string;
}
interface Destination {
  id: string;
  number: string;
  to?: string | null;
}

const memberUrl = (workspaceId: string, userId: string) => `/v1/workspaces/${workspaceId}/members/${userId}`;

/** The number as its workspace's owner sees it. */
async function numberOf(team: Team, phoneNumberId: string) {
  const response = await api.get(numberPath(team.workspaceId, phoneNumberId), team.owner.token);
  expect(response.status).toBe(200);
  return response.body.data as { id: string; number: string; members: Holder[] };
}

/** A member's `phoneNumbers`, as the member list shows them. */
async function linesOf(team: Team, userId: string): Promise<Line[]> {
  const response = await api.get(memberUrl(team.workspaceId, userId), team.owner.token);
  expect(response.status).toBe(200);
  return response.body.data.phoneNumbers;
}

/** The telephony side's decision for a user. */
async function decide(workspaceId: string, phoneNumberId: string, userId: string, action = 'call') {
  return api.get(
    `/internal${numberPath(workspaceId, phoneNumberId)}/can?userId=${encodeURIComponent(userId)}&action=${action}`,
    await serviceToken(api),
  );
}

const removal = (team: Team, userId: string, query = '', token = team.owner.token) =>
  api.del(`${memberUrl(team.workspaceId, userId)}${query ? `?${query}` : ''}`, token);

/** The one audit event of an action about a member. */
async function eventAbout(team: Team, action: string, userId: string) {
  const events = (await auditLog(api, team.workspaceId, team.owner.token, `action=${action}`)).filter(
    (event) => event.target.id === userId,
  );
  expect(events).toHaveLength(1);
  return events[0] as NonNullable<(typeof events)[number]>;
}

/** Where each number went, as the event records it. */
const destinationsOf = (event: { after: Record<string, unknown> | null }) => [
  ...((event.after?.numbers ?? []) as Destination[]),
];

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

describe.concurrent('removing a member: their numbers', () => {
  it('by default hands a number only they used to the remover (level, ownership, whole history); shared numbers just lose their entry', async () => {
    const team = await createTeam(api);
    const ws = team.workspaceId;
    const alone = await addNumber(api, ws, team.owner);
    const withOthers = await addNumber(api, ws, team.owner);
    const withViewer = await addNumber(api, ws, team.owner);
    const viewing = await addNumber(api, ws, team.owner);
    await grant(api, ws, alone, team.owner, team.member, 'exclusive', true);
    await grant(api, ws, withOthers, team.owner, team.member, 'shared', true);
    await grant(api, ws, withOthers, team.owner, team.admin, 'shared');
    await grant(api, ws, withViewer, team.owner, team.member, 'shared');
    await grant(api, ws, withViewer, team.owner, team.admin, 'read-only');
    await grant(api, ws, viewing, team.owner, team.member, 'read-only');
    expect((await decide(ws, alone, team.member.userId)).body.data.allowed).toBe(true);

    expect((await removal(team, team.member.userId)).status).toBe(204);

    expect((await numberOf(team, alone)).members).toEqual([
      expect.objectContaining({
        userId: team.owner.userId,
        access: 'exclusive',
        numberOwner: true,
        historyVisibleFrom: null,
      }),
    ]);
    expect((await numberOf(team, withOthers)).members).toEqual([
      expect.objectContaining({ userId: team.admin.userId, access: 'shared', numberOwner: false }),
    ]);
    const viewer = (await numberOf(team, withViewer)).members;
    expect(viewer.map((holder) => [holder.userId, holder.access, holder.numberOwner]).sort()).toEqual(
      [
        [team.admin.userId, 'read-only', false],
        [team.owner.userId, 'shared', false],
      ].sort(),
    );
    // A read-only viewer used nothing: their entry just goes.
    expect((await numberOf(team, viewing)).members).toEqual([]);

    const ownerLines = await linesOf(team, team.owner.userId);
    expect(ownerLines.map(({ id, access }) => ({ id, access })).sort(byId)).toEqual(
      [
        { id: alone, access: 'exclusive' },
        { id: withViewer, access: 'shared' },
      ].sort(byId),
    );
    expect((await linesOf(team, team.admin.userId)).map(({ id }) => id).sort()).toEqual(
      [withOthers, withViewer].sort(),
    );
    expect((await api.get(memberUrl(ws, team.member.userId), team.owner.token)).status).toBe(404);

    const heirDecision = await decide(ws, alone, team.owner.userId);
    expect(heirDecision.body.data).toMatchObject({
      allowed: true,
      reason: 'EXCLUSIVE_ACCESS',
      access: 'exclusive',
      historyVisibleFrom: null,
    });
    for (const id of [alone, withOthers, withViewer, viewing]) {
      expect((await decide(ws, id, team.member.userId, 'view')).body.data).toMatchObject({
        allowed: false,
        reason: 'NO_ACCESS',
        access: null,
      });
    }

    const event = await eventAbout(team, 'member.removed', team.member.userId);
    expect([...((event.before?.phoneNumbers ?? []) as string[])].sort()).toEqual(
      [alone, withOthers, withViewer, viewing].sort(),
    );
    expect(event.after).toMatchObject({ numbersReassignedTo: team.owner.userId, hideHistory: false });
    const numbers = [...destinationsOf(event)].sort(byId);
    const e164 = async (id: string) => (await numberOf(team, id)).number;
    expect(numbers).toEqual(
      [
        { id: alone, number: await e164(alone), to: team.owner.userId },
        { id: withOthers, number: await e164(withOthers) },
        { id: withViewer, number: await e164(withViewer), to: team.owner.userId },
        { id: viewing, number: await e164(viewing) },
      ].sort(byId),
    );
  });

  it('hands them to reassignNumbersTo, and with hideHistory=true starts their history at the reassignment', async () => {
    const team = await createTeam(api);
    const ws = team.workspaceId;
    const alone = await addNumber(api, ws, team.owner);
    const second = await addNumber(api, ws, team.owner);
    await grant(api, ws, alone, team.owner, team.member, 'exclusive', true);
    await grant(api, ws, second, team.owner, team.member, 'shared');
    const before = new Date().toISOString();
    expect(
      (await removal(team, team.member.userId, `reassignNumbersTo=${team.admin.userId}&hideHistory=true`))
        .status,
    ).toBe(204);
    const after = new Date().toISOString();

    const [held] = (await numberOf(team, alone)).members;
    expect(held).toMatchObject({ userId: team.admin.userId, access: 'exclusive', numberOwner: true });
    const from = held?.historyVisibleFrom as string;
    expect(from >= before && from <= after, `${before} <= ${from} <= ${after}`).toBe(true);
    expect((await numberOf(team, second)).members).toEqual([
      expect.objectContaining({ userId: team.admin.userId, access: 'shared', historyVisibleFrom: from }),
    ]);
    // The heir's own decisions carry it, for the telephony side to hide older conversations.
    expect((await decide(ws, alone, team.admin.userId)).body.data).toMatchObject({
      allowed: true,
      historyVisibleFrom: from,
    });
    const asked = await api.get(`${numberPath(ws, alone)}/can?action=view`, team.admin.token);
    expect(asked.body.data).toMatchObject({
      allowed: true,
      reason: 'EXCLUSIVE_ACCESS',
      historyVisibleFrom: from,
    });
    expect((await linesOf(team, team.admin.userId)).map(({ id }) => id).sort()).toEqual(
      [alone, second].sort(),
    );
    // The remover got nothing.
    expect(await linesOf(team, team.owner.userId)).toEqual([]);

    const event = await eventAbout(team, 'member.removed', team.member.userId);
    expect(event.after).toMatchObject({ numbersReassignedTo: team.admin.userId, hideHistory: true });
    expect(
      destinationsOf(event)
        .map(({ id, to }) => ({ id, to }))
        .sort(byId),
    ).toEqual(
      [
        { id: alone, to: team.admin.userId },
        { id: second, to: team.admin.userId },
      ].sort(byId),
    );
  });

  it('with unassignNumbers=true leaves them with nobody, and the event says so', async () => {
    const team = await createTeam(api);
    const ws = team.workspaceId;
    const alone = await addNumber(api, ws, team.owner);
    const shared = await addNumber(api, ws, team.owner);
    await grant(api, ws, alone, team.owner, team.member, 'exclusive', true);
    await grant(api, ws, shared, team.owner, team.member, 'shared');
    await grant(api, ws, shared, team.owner, team.admin, 'shared');
    expect((await removal(team, team.member.userId, 'unassignNumbers=true')).status).toBe(204);
    expect((await numberOf(team, alone)).members).toEqual([]);
    expect((await numberOf(team, shared)).members.map((holder) => holder.userId)).toEqual([
      team.admin.userId,
    ]);
    expect(await linesOf(team, team.owner.userId)).toEqual([]);
    expect((await linesOf(team, team.admin.userId)).map(({ id }) => id)).toEqual([shared]);
    const event = await eventAbout(team, 'member.removed', team.member.userId);
    expect(event.after).toMatchObject({ numbersReassignedTo: null });
    expect(destinationsOf(event).sort(byId)).toEqual(
      [
        { id: alone, number: (await numberOf(team, alone)).number, to: null },
        { id: shared, number: (await numberOf(team, shared)).number },
      ].sort(byId),
    );
  });

  it('refuses reassignNumbersTo with unassignNumbers=true, or a non-member heir (400), and changes nothing', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const ws = team.workspaceId;
    const id = team.phoneNumberId as string;
    const before = await numberOf(team, id);
    const both = await removal(
      team,
      team.member.userId,
      `reassignNumbersTo=${team.admin.userId}&unassignNumbers=true`,
    );
    expect(both.status).toBe(400);
    expect(both.body.code).toBe('VALIDATION_FAILED');
    expect(both.body.errors).toEqual([expect.objectContaining({ path: 'unassignNumbers' })]);
    for (const heir of [team.outsider.userId, team.member.userId]) {
      const refused = await removal(team, team.member.userId, `reassignNumbersTo=${heir}`);
      expect(refused.status, heir).toBe(400);
      expect(refused.body.code).toBe('REASSIGN_TARGET_NOT_MEMBER');
    }
    const flag = await removal(team, team.member.userId, 'unassignNumbers=yes');
    expect(flag.status).toBe(400);
    expect((await api.get(memberUrl(ws, team.member.userId), team.owner.token)).status).toBe(200);
    expect(await numberOf(team, id)).toEqual(before);
    expect((await decide(ws, id, team.member.userId)).body.data.allowed).toBe(true);
    const removals = await auditLog(api, ws, team.owner.token, 'action=member.removed');
    expect(removals).toEqual([]);
  });
});

describe.concurrent('leaving: numbers the leaver alone used become unassigned', () => {
  it('unassigns them, keeps the others with their users, and member.left records each', async () => {
    const team = await createTeam(api);
    const ws = team.workspaceId;
    const alone = await addNumber(api, ws, team.owner);
    const shared = await addNumber(api, ws, team.owner);
    await grant(api, ws, alone, team.owner, team.member, 'exclusive', true);
    await grant(api, ws, shared, team.owner, team.member, 'shared');
    await grant(api, ws, shared, team.owner, team.admin, 'shared');
    expect((await api.post(`/v1/workspaces/${ws}/leave`, team.member.token)).status).toBe(204);
    expect((await numberOf(team, alone)).members).toEqual([]);
    expect((await numberOf(team, shared)).members.map((holder) => holder.userId)).toEqual([
      team.admin.userId,
    ]);
    // Nobody inherited: not the owner, not the admin.
    expect(await linesOf(team, team.owner.userId)).toEqual([]);
    expect((await linesOf(team, team.admin.userId)).map(({ id }) => id)).toEqual([shared]);
    expect((await decide(ws, alone, team.member.userId)).body.data).toMatchObject({
      allowed: false,
      reason: 'NO_ACCESS',
    });
    const event = await eventAbout(team, 'member.left', team.member.userId);
    expect(event.actor.userId).toBe(team.member.userId);
    expect(destinationsOf(event).sort(byId)).toEqual(
      [
        { id: alone, number: (await numberOf(team, alone)).number, to: null },
        { id: shared, number: (await numberOf(team, shared)).number },
      ].sort(byId),
    );
  });
});

/**
 * `count` numbers held by `holder` alone (exclusive, number owner), written
 * straight into the table as adding and granting write them: the number's
 * item, its place in the E.164 registry, and the holder's `numberAccess`.
 */
async function seedHeldNumbers(team: Team, holder: TestUser, count: number): Promise<PhoneNumberItem[]> {
  const start = Date.now();
  const at = new Date(start).toISOString();
  const numbers = new Set<string>();
  while (numbers.size < count) numbers.add(newNumber());
  const items: PhoneNumberItem[] = [...numbers].map((raw, index) => ({
    id: newId('PN', start + index),
    workspaceId: team.workspaceId,
    ...parseNumber(raw, 'number'),
    name: `Line ${index}`,
    callerIdName: null,
    businessHours: null,
    callFlow: defaultCallFlow,
    ringOrder: defaultRingOrder,
    members: {
      [holder.userId]: {
        access: 'exclusive',
        numberOwner: true,
        notifications: defaultNotifications,
        historyVisibleFrom: null,
        since: at,
        availability: null,
      },
    },
    useCount: 1,
    exclusiveHolder: holder.userId,
    createdAt: at,
    updatedAt: at,
    createdBy: team.owner.userId,
  }));
  const records = items.flatMap((item) => [
    numberRecord(item),
    { ...e164Key(item.number), workspaceId: item.workspaceId, phoneNumberId: item.id },
  ]);
  const batches = Array.from({ length: Math.ceil(records.length / 25) }, (_, index) =>
    records.slice(index * 25, index * 25 + 25),
  );
  await Promise.all(
    batches.map(async (batch) => {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const result = await api.documents.send(
          new BatchWriteCommand({ RequestItems: { [api.tableName]: pending } }),
        );
        pending = (result.UnprocessedItems?.[api.tableName] ?? []) as typeof pending;
      }
    }),
  );
  await api.documents.send(
    new UpdateCommand({
      TableName: api.tableName,
      Key: memberKey(team.workspaceId, holder.userId),
      UpdateExpression: 'SET numberAccess = :held',
      ExpressionAttributeValues: {
        ':held': Object.fromEntries(
          items.map((item) => [item.id, { number: item.number, access: 'exclusive' }]),
        ),
      },
    }),
  );
  return items;
}

/** Runs `task` over `items`, `size` at a time. */
async function inBatches<T, R>(items: T[], size: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(task))));
  }
  return results;
}

describe.concurrent('a member with 150 numbers', () => {
  it('loses every decision at once, and every number goes to the heir before the answer', {
    timeout: 60_000,
  }, async () => {
    const team = await createTeam(api);
    const ws = team.workspaceId;
    const leaver = await api.user({ name: 'Lena Lines' });
    await seedMember(api, ws, leaver, 'member');
    const numbers = await seedHeldNumbers(team, leaver, 150);
    const ids = numbers.map((number) => number.id).sort();
    const first = ids[0] as string;
    expect((await decide(ws, first, leaver.userId)).body.data.allowed).toBe(true);
    expect((await linesOf(team, leaver.userId)).length).toBe(150);

    // Sequential decisions while the removal runs: once one refuses, none allows again.
    let done = false;
    const removed = removal(team, leaver.userId, `reassignNumbersTo=${team.admin.userId}`).finally(() => {
      done = true;
    });
    const seen: boolean[] = [];
    for (let index = 0; !done; index++) {
      const id = ids[(index * 37) % ids.length] as string;
      seen.push((await decide(ws, id, leaver.userId)).body.data.allowed);
    }
    expect((await removed).status).toBe(204);
    const firstRefusal = seen.indexOf(false);
    if (firstRefusal >= 0) expect(seen.slice(firstRefusal)).not.toContain(true);

    // Every one of the 150 refuses the leaver; the heir's are read back below through the list.
    const leaverDecisions = await inBatches(ids, 50, (id) => decide(ws, id, leaver.userId));
    expect(leaverDecisions.map((response) => response.body.data.reason)).toEqual(ids.map(() => 'NO_ACCESS'));
    const sample = ids.filter((_, index) => index % 15 === 0);
    const heirDecisions = await Promise.all(sample.map((id) => decide(ws, id, team.admin.userId)));
    expect(heirDecisions.map((response) => response.body.data.reason)).toEqual(
      sample.map(() => 'EXCLUSIVE_ACCESS'),
    );

    const lines = await linesOf(team, team.admin.userId);
    expect(lines).toHaveLength(150);
    expect(lines.map(({ id }) => id).sort()).toEqual(ids);
    expect(new Set(lines.map(({ access }) => access))).toEqual(new Set(['exclusive']));

    const listed = `${numbersPath(ws)}?userId=${team.admin.userId}&limit=100`;
    const page1 = await api.get(listed, team.owner.token);
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(100);
    expect(page1.body.nextCursor).not.toBeNull();
    const page2 = await api.get(
      `${listed}&after=${encodeURIComponent(page1.body.nextCursor)}`,
      team.owner.token,
    );
    expect(page2.body.data).toHaveLength(50);
    expect(page2.body.nextCursor).toBeNull();
    const pages = [...page1.body.data, ...page2.body.data] as { id: string; members: Holder[] }[];
    expect(pages.map((number) => number.id).sort()).toEqual(ids);
    for (const number of pages) {
      expect(number.members, number.id).toEqual([
        expect.objectContaining({ userId: team.admin.userId, access: 'exclusive', numberOwner: true }),
      ]);
    }
    // Nothing left to finish.
    const record = await api.documents.send(
      new GetCommand({
        TableName: api.tableName,
        Key: departureKey(ws, leaver.userId),
        ConsistentRead: true,
      }),
    );
    expect(record.Item).toBeUndefined();
    const event = await eventAbout(team, 'member.removed', leaver.userId);
    const destinations = destinationsOf(event);
    expect(destinations).toHaveLength(150);
    expect(destinations.filter((destination) => destination.to !== team.admin.userId)).toEqual([]);
  });
});

describe.concurrent('invitations that share numbers', () => {
  const invite = async (team: Team, email: string, phoneNumberIds: string[], access: string) => {
    const response = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.owner.token, {
      emails: [email],
      role: 'member',
      phoneAssignment: { mode: 'share', phoneNumberIds, access },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.data[0].id as string;
  };
  const accept = (team: Team, invitee: TestUser, invitationId: string) =>
    api.post('/v1/invitations/accept', invitee.token, { workspaceId: team.workspaceId, invitationId });
  const address = () => `guest-${newId('IV').slice(-10).toLowerCase()}@acme.test`;

  it('gives the shared access at accept: the invitee may call at once', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const e164 = (await numberOf(team, id)).number;
    const email = address();
    const invitationId = await invite(team, email, [id], 'shared');
    const invitee = await api.user({ email });
    const accepted = await accept(team, invitee, invitationId);
    expect(accepted.status).toBe(200);
    expect(accepted.body.data.numbersNotShared).toEqual([]);
    expect(accepted.body.data.member.phoneNumbers).toEqual([{ id, number: e164, access: 'shared' }]);
    expect((await decide(team.workspaceId, id, invitee.userId)).body.data).toMatchObject({
      allowed: true,
      reason: 'SHARED_ACCESS',
      access: 'shared',
    });
    const own = await api.get(`${numberPath(team.workspaceId, id)}/can?action=text`, invitee.token);
    expect(own.body.data).toMatchObject({ allowed: true, reason: 'SHARED_ACCESS' });
    expect((await numberOf(team, id)).members).toEqual([
      expect.objectContaining({ userId: invitee.userId, access: 'shared', numberOwner: false }),
    ]);
    expect(await linesOf(team, invitee.userId)).toEqual([{ id, number: e164, access: 'shared' }]);
  });

  it('lists an exclusive share that an earlier invitee took in numbersNotShared, without blocking the accept', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const e164 = (await numberOf(team, id)).number;
    const [firstEmail, secondEmail] = [address(), address()];
    const firstInvitation = await invite(team, firstEmail, [id], 'exclusive');
    const secondInvitation = await invite(team, secondEmail, [id], 'exclusive');
    const first = await api.user({ email: firstEmail });
    const second = await api.user({ email: secondEmail });
    const one = await accept(team, first, firstInvitation);
    expect(one.status).toBe(200);
    expect(one.body.data.numbersNotShared).toEqual([]);
    const two = await accept(team, second, secondInvitation);
    expect(two.status).toBe(200);
    expect(two.body.data.numbersNotShared).toEqual([{ id, number: e164, reason: 'NUMBER_ACCESS_CONFLICT' }]);
    expect(two.body.data.member.phoneNumbers).toEqual([]);
    expect((await numberOf(team, id)).members).toEqual([
      expect.objectContaining({ userId: first.userId, access: 'exclusive' }),
    ]);
    expect((await decide(team.workspaceId, id, second.userId)).body.data.reason).toBe('NO_ACCESS');
    expect(await linesOf(team, second.userId)).toEqual([]);
  });

  it('under parallel accepts of the same exclusive share, exactly one gets it and the other is told', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const emails = [address(), address(), address()];
    const invitations: string[] = [];
    for (const email of emails) invitations.push(await invite(team, email, [id], 'exclusive'));
    const invitees = await Promise.all(emails.map((email) => api.user({ email })));
    const accepts = await Promise.all(
      invitees.map((invitee, index) => accept(team, invitee, invitations[index] as string)),
    );
    expect(accepts.map((response) => response.status)).toEqual([200, 200, 200]);
    const got = accepts.filter((response) => response.body.data.numbersNotShared.length === 0);
    expect(got).toHaveLength(1);
    for (const response of accepts.filter((candidate) => candidate.body.data.numbersNotShared.length > 0)) {
      expect(response.body.data.numbersNotShared).toEqual([
        expect.objectContaining({ id, reason: 'NUMBER_ACCESS_CONFLICT' }),
      ]);
    }
    const members = (await numberOf(team, id)).members;
    expect(members).toEqual([
      expect.objectContaining({ userId: got[0]?.body.data.member.userId, access: 'exclusive' }),
    ]);
    for (const invitee of invitees) {
      const lines = await linesOf(team, invitee.userId);
      expect(lines.length, invitee.userId).toBe(invitee.userId === members[0]?.userId ? 1 : 0);
    }
  });

  it('lists a number released before the accept as NUMBER_NOT_FOUND, and shares the rest', async () => {
    const team = await createTeam(api);
    const released = await addNumber(api, team.workspaceId, team.owner);
    const kept = await addNumber(api, team.workspaceId, team.owner);
    const releasedNumber = (await numberOf(team, released)).number;
    const email = address();
    const invitationId = await invite(team, email, [released, kept], 'shared');
    expect((await api.del(numberPath(team.workspaceId, released), team.owner.token)).status).toBe(204);
    const invitee = await api.user({ email });
    const accepted = await accept(team, invitee, invitationId);
    expect(accepted.status).toBe(200);
    expect(accepted.body.data.numbersNotShared).toEqual([
      { id: released, number: releasedNumber, reason: 'NUMBER_NOT_FOUND' },
    ]);
    expect(accepted.body.data.member.phoneNumbers).toEqual([
      expect.objectContaining({ id: kept, access: 'shared' }),
    ]);
    expect((await decide(team.workspaceId, kept, invitee.userId)).body.data.allowed).toBe(true);
    expect((await decide(team.workspaceId, released, invitee.userId)).status).toBe(404);
  });
});

describe.concurrent('releasing a number', () => {
  it('cleans every holder’s phoneNumbers, answers 404 to decisions after, and frees the number for another workspace', async () => {
    const team = await createTeam(api, 'Acme', { withNumber: true });
    const ws = team.workspaceId;
    const id = team.phoneNumberId as string;
    const kept = await addNumber(api, ws, team.owner);
    await grant(api, ws, id, team.owner, team.admin, 'read-only');
    await grant(api, ws, kept, team.owner, team.member, 'shared');
    const e164 = (await numberOf(team, id)).number;
    expect((await linesOf(team, team.member.userId)).map((line) => line.id).sort()).toEqual(
      [id, kept].sort(),
    );

    expect((await api.del(numberPath(ws, id), team.owner.token)).status).toBe(204);

    expect((await linesOf(team, team.member.userId)).map((line) => line.id)).toEqual([kept]);
    expect(await linesOf(team, team.admin.userId)).toEqual([]);
    const listed = await api.get(`/v1/workspaces/${ws}/members?limit=100`, team.owner.token);
    for (const member of listed.body.data as { userId: string; phoneNumbers: Line[] }[]) {
      expect(
        member.phoneNumbers.map((line) => line.id),
        member.userId,
      ).not.toContain(id);
    }
    for (const userId of [team.member.userId, team.admin.userId]) {
      const decision = await decide(ws, id, userId);
      expect(decision.status).toBe(404);
      expect(decision.body.code).toBe('NUMBER_NOT_FOUND');
    }
    const own = await api.get(`${numberPath(ws, id)}/can?action=call`, team.member.token);
    expect(own.status).toBe(404);
    expect((await api.get(numberPath(ws, id), team.owner.token)).status).toBe(404);
    expect(
      (await api.put(accessPath(ws, id, team.member.userId), team.owner.token, { access: 'shared' })).status,
    ).toBe(404);

    const other = await createTeam(api, 'Globex');
    const again = await api.post(numbersPath(other.workspaceId), other.owner.token, { number: e164 });
    expect(again.status).toBe(201);
    expect(again.body.data.members).toEqual([]);
    const found = await api.get(
      `/internal/v1/phone-numbers/${encodeURIComponent(e164)}`,
      await serviceToken(api),
    );
    expect(found.body.data).toEqual({ workspaceId: other.workspaceId, phoneNumberId: again.body.data.id });
    const event = (await auditLog(api, ws, team.owner.token, 'action=phoneNumber.removed')).find(
      (candidate) => candidate.target.id === id,
    );
    expect(event?.before).toMatchObject({ number: e164 });
  });
});
