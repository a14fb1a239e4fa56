import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/access/roles';
import { memberKey, workspaceKey } from '../../../shared/db/keys';
import type { AuditEvent } from '../../../shared/features/audit/events';
import { routes } from '../../../shared/routes';
import { type ApiResponse, startTestApi, type TestApi, type TestUser } from '../../support/api';
import { auditLog, requestIdOf } from '../../support/audit';
import { pathTo } from '../../support/paths';
import { createTeam, seedMember, type Team } from '../../support/seed';

/**
 * Parallel HTTP requests against DynamoDB Local. Whatever wins, the
 * workspace keeps an owner, its counters match its members, every request
 * that succeeded wrote exactly one audit event and every refused one none,
 * and a refused request gets a contract error, never a 500.
 */

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

/** The refusals a race may legitimately end in, with their statuses. */
const raceErrors = {
  LAST_OWNER: 409,
  CONCURRENT_UPDATE: 409,
  ALREADY_OWNER: 409,
  MEMBER_NOT_FOUND: 404,
  WORKSPACE_NOT_FOUND: 404,
  OWNER_REQUIRED: 403,
  OWN_ROLE_CHANGE: 403,
  ROLE_FORBIDDEN: 403,
} as const;
type RaceError = keyof typeof raceErrors;

const succeeded = (response: ApiResponse) => response.status === 200 || response.status === 204;

function expectRefusal(response: ApiResponse, allowed: RaceError[]): RaceError {
  const code = response.body?.code as RaceError;
  expect(allowed, `${response.status} ${JSON.stringify(response.body)}`).toContain(code);
  expect(response.status).toBe(raceErrors[code]);
  return code;
}

const workspacePath = (workspaceId: string) => pathTo(routes.getWorkspace, { workspaceId });
const memberPath = (workspaceId: string, userId: string) => pathTo(routes.getMember, { workspaceId, userId });

/** The workspace's members and counters as stored, read consistently. */
async function storedState(workspaceId: string) {
  const { Item } = await api.documents.send(
    new GetCommand({ TableName: api.tableName, Key: workspaceKey(workspaceId), ConsistentRead: true }),
  );
  const { Items } = await api.documents.send(
    new QueryCommand({
      TableName: api.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :members)',
      ExpressionAttributeValues: {
        ':pk': workspaceKey(workspaceId).PK,
        ':members': memberKey(workspaceId, '').SK,
      },
      ConsistentRead: true,
    }),
  );
  const roles = new Map<string, Role>(
    (Items ?? []).map((item) => [item.userId as string, item.role as Role]),
  );
  return { workspace: Item as { memberCount: number; ownerCount: number }, roles };
}

/** The invariants every race must keep; returns the final roles. */
async function expectConsistent(workspaceId: string) {
  const { workspace, roles } = await storedState(workspaceId);
  const owners = [...roles.values()].filter((role) => role === 'owner').length;
  expect(owners, 'owners left').toBeGreaterThanOrEqual(1);
  expect(workspace.ownerCount, 'ownerCount').toBe(owners);
  expect(workspace.memberCount, 'memberCount').toBe(roles.size);
  return roles;
}

/** The log of one action, read over the API by a remaining owner. */
const eventsOf = (workspaceId: string, owner: TestUser, action: string) =>
  auditLog(api, workspaceId, owner.token, `action=${action}`);

/** Each successful request has exactly one event of `action`, a refused one none, and nothing else was logged. */
function expectOneEventPerSuccess(events: AuditEvent[], responses: ApiResponse[], action: string) {
  for (const response of responses) {
    const mine = events.filter((event) => event.requestId === requestIdOf(response));
    expect(mine, `events of a ${response.status}`).toHaveLength(succeeded(response) ? 1 : 0);
    for (const event of mine) expect(event.action).toBe(action);
  }
  expect(events.filter((event) => event.action === action)).toHaveLength(responses.filter(succeeded).length);
}

/** Whether some order of these role changes leads from `initial` to `final`, each starting where the last ended. */
function formsChain(initial: Role, final: Role, changes: { before: Role; after: Role }[]): boolean {
  if (changes.length === 0) return initial === final;
  return changes.some(
    (change, index) =>
      change.before === initial &&
      formsChain(
        change.after,
        final,
        changes.filter((_, other) => other !== index),
      ),
  );
}

/** Makes every actor's lastActiveAt current, so the race itself writes nothing but the operations. */
async function warmUp(workspaceId: string, users: TestUser[]) {
  for (const user of users) {
    expect((await api.get(`${workspacePath(workspaceId)}/permissions`, user.token)).status).toBe(200);
  }
}

/** Runs `count` rounds, each on its own fresh workspace, at the same time. */
async function rounds(count: number, round: (index: number) => Promise<void>) {
  await Promise.all(Array.from({ length: count }, (_, index) => round(index)));
}

async function teamWithSecondOwner(): Promise<Team & { second: TestUser }> {
  const team = await createTeam(api);
  const second = await api.user({ name: 'Second Owner' });
  await seedMember(api, team.workspaceId, second, 'owner');
  return { ...team, second };
}

describe('races', () => {
  it('two owners demoting each other and themselves in parallel always leave an owner', async () => {
    const outcomes = new Set<string>();
    await rounds(10, async (round) => {
      const team = await teamWithSecondOwner();
      const [a, b] = [team.owner, team.second];
      const ws = team.workspaceId;
      await warmUp(ws, [a, b]);
      const pick = (bit: number): Role => ((round >> bit) & 1 ? 'member' : 'admin');
      const requests = [
        { actor: a, target: b, role: pick(0) },
        { actor: b, target: a, role: pick(1) },
        { actor: a, target: a, role: pick(2) },
        { actor: b, target: b, role: pick(3) },
      ];
      const responses = await Promise.all(
        requests.map(({ actor, target, role }) =>
          api.patch(memberPath(ws, target.userId), actor.token, { role }),
        ),
      );

      const codes = responses.map((response) =>
        succeeded(response)
          ? 'ok'
          : expectRefusal(response, [
              'LAST_OWNER',
              'CONCURRENT_UPDATE',
              'OWNER_REQUIRED',
              'OWN_ROLE_CHANGE',
              'ROLE_FORBIDDEN',
            ]),
      );
      outcomes.add(codes.join(','));
      // The first change to commit was decided on the state it found: it cannot fail.
      expect(codes).toContain('ok');

      const roles = await expectConsistent(ws);
      const owner = [a, b].find((user) => roles.get(user.userId) === 'owner') as TestUser;
      const events = await eventsOf(ws, owner, 'member.roleChanged');
      let noOps = 0;
      responses.forEach((response, index) => {
        const { target, role } = requests[index] as (typeof requests)[number];
        const mine = events.filter((event) => event.requestId === requestIdOf(response));
        if (!succeeded(response)) {
          expect(mine, 'events of a refused request').toEqual([]);
          return;
        }
        expect(response.body.data).toMatchObject({ userId: target.userId, role });
        if (mine.length === 0) {
          // The target already had that role, set by a request that won: a no-op, rightly not logged.
          noOps += 1;
          expect(
            events.some((event) => event.target.id === target.userId && event.after?.role === role),
            'a no-op follows the change that made it one',
          ).toBe(true);
          return;
        }
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({ target: { type: 'member', id: target.userId }, after: { role } });
      });
      expect(events).toHaveLength(codes.filter((code) => code === 'ok').length - noOps);
      for (const user of [a, b]) {
        const changes = events
          .filter((event) => event.target.id === user.userId)
          .map((event) => ({ before: event.before?.role as Role, after: event.after?.role as Role }));
        expect(formsChain('owner', roles.get(user.userId) as Role, changes), JSON.stringify(changes)).toBe(
          true,
        );
      }
    });
    // Not a rule, a sign the race was really run: some rounds refused something.
    expect([...outcomes].some((outcome) => outcome !== 'ok,ok,ok,ok')).toBe(true);
  });

  it('an ownership transfer racing the removal of its target: one coherent outcome', async () => {
    await rounds(10, async (round) => {
      const team = await teamWithSecondOwner();
      const ws = team.workspaceId;
      const target = team.member;
      // Even rounds: an admin removes the target; odd rounds: another owner does.
      const remover = round % 2 === 0 ? team.admin : team.second;
      await warmUp(ws, [team.owner, remover]);
      const [transfer, removal] = await Promise.all([
        api.post(`${workspacePath(ws)}/ownership-transfer`, team.owner.token, { userId: target.userId }),
        api.del(memberPath(ws, target.userId), remover.token),
      ]);
      expect(succeeded(transfer) || succeeded(removal), 'one of them wins').toBe(true);
      if (!succeeded(transfer)) expectRefusal(transfer, ['MEMBER_NOT_FOUND', 'CONCURRENT_UPDATE']);
      if (!succeeded(removal)) {
        expectRefusal(
          removal,
          remover === team.admin ? ['CONCURRENT_UPDATE', 'OWNER_REQUIRED'] : ['CONCURRENT_UPDATE'],
        );
      }
      if (succeeded(transfer) && succeeded(removal)) {
        // Only in this order: the transfer, then another owner removes the new owner.
        expect(remover).toBe(team.second);
      }

      const roles = await expectConsistent(ws);
      expect(Object.fromEntries(roles)).toEqual({
        [team.owner.userId]: succeeded(transfer) ? 'admin' : 'owner',
        [team.second.userId]: 'owner',
        [team.admin.userId]: 'admin',
        ...(succeeded(removal) ? {} : { [target.userId]: 'owner' }),
      });
      if (succeeded(transfer)) {
        expect(transfer.body.data).toMatchObject({
          from: { userId: team.owner.userId, role: 'admin' },
          to: { userId: target.userId, role: 'owner' },
        });
      }
      expectOneEventPerSuccess(
        await eventsOf(ws, team.second, 'ownership.transferred'),
        [transfer],
        'ownership.transferred',
      );
      expectOneEventPerSuccess(
        await eventsOf(ws, team.second, 'member.removed'),
        [removal],
        'member.removed',
      );
      const gone = await api.get(workspacePath(ws), target.token);
      expect(gone.status).toBe(succeeded(removal) ? 404 : 200);
    });
  });

  it('every owner leaving at once: one owner always stays', async () => {
    await rounds(6, async () => {
      const team = await teamWithSecondOwner();
      const ws = team.workspaceId;
      const third = await api.user({ name: 'Third Owner' });
      await seedMember(api, ws, third, 'owner');
      const owners = [team.owner, team.second, third];
      await warmUp(ws, owners);

      const responses = await Promise.all(
        owners.map((owner) => api.post(`${workspacePath(ws)}/leave`, owner.token)),
      );
      const codes = responses.map((response) =>
        succeeded(response) ? 'ok' : expectRefusal(response, ['LAST_OWNER', 'CONCURRENT_UPDATE']),
      );
      const left = codes.filter((code) => code === 'ok').length;
      expect(left).toBeGreaterThanOrEqual(1);
      if (!codes.includes('CONCURRENT_UPDATE')) {
        expect(codes.filter((code) => code === 'LAST_OWNER')).toHaveLength(1);
      }

      const roles = await expectConsistent(ws);
      const stayed = owners.filter((_, index) => !succeeded(responses[index] as ApiResponse));
      expect(stayed).toHaveLength(3 - left);
      expect(Object.fromEntries(roles)).toEqual({
        ...Object.fromEntries(stayed.map((owner) => [owner.userId, 'owner'])),
        [team.admin.userId]: 'admin',
        [team.member.userId]: 'member',
      });
      const [remaining] = stayed as [TestUser];
      expectOneEventPerSuccess(await eventsOf(ws, remaining, 'member.left'), responses, 'member.left');
      for (const [index, owner] of owners.entries()) {
        const next = await api.get(workspacePath(ws), owner.token);
        expect(next.status).toBe(succeeded(responses[index] as ApiResponse) ? 404 : 200);
      }
    });
  });

  it('parallel removals of the same member (and their own leave): exactly one wins', async () => {
    await rounds(6, async (round) => {
      const team = await teamWithSecondOwner();
      const ws = team.workspaceId;
      const target = team.member;
      await warmUp(ws, [team.owner, team.second, team.admin, target]);
      const responses = await Promise.all([
        api.del(memberPath(ws, target.userId), team.owner.token),
        api.del(memberPath(ws, target.userId), team.admin.token),
        api.del(memberPath(ws, target.userId), team.second.token),
        api.del(memberPath(ws, target.userId), team.owner.token),
        ...(round % 2 ? [api.post(`${workspacePath(ws)}/leave`, target.token)] : []),
      ]);
      const winners = responses.filter(succeeded);
      expect(
        winners,
        JSON.stringify(responses.map((response) => response.body?.code ?? response.status)),
      ).toHaveLength(1);
      expect(winners[0]?.status).toBe(204);
      for (const response of responses) {
        if (!succeeded(response))
          expectRefusal(response, ['MEMBER_NOT_FOUND', 'WORKSPACE_NOT_FOUND', 'CONCURRENT_UPDATE']);
      }

      const roles = await expectConsistent(ws);
      expect(roles.has(target.userId)).toBe(false);
      expect(roles.size).toBe(3);
      const removed = await eventsOf(ws, team.owner, 'member.removed');
      const left = await eventsOf(ws, team.owner, 'member.left');
      expect([...removed, ...left]).toHaveLength(1);
      expect([...removed, ...left][0]).toMatchObject({
        target: { type: 'member', id: target.userId },
        requestId: requestIdOf(winners[0] as ApiResponse),
      });
      expect((await api.get(workspacePath(ws), team.owner.token)).body.data.memberCount).toBe(3);
    });
  });

  it('two owners removing each other in parallel: exactly one stays', async () => {
    await rounds(6, async () => {
      const team = await teamWithSecondOwner();
      const ws = team.workspaceId;
      const [a, b] = [team.owner, team.second];
      await warmUp(ws, [a, b]);
      const responses = await Promise.all([
        api.del(memberPath(ws, b.userId), a.token),
        api.del(memberPath(ws, a.userId), b.token),
      ]);
      expect(responses.filter(succeeded)).toHaveLength(1);
      const loser = responses.find((response) => !succeeded(response)) as ApiResponse;
      // Refused by the owner count, or already removed when its own request was authorized.
      expectRefusal(loser, ['LAST_OWNER', 'CONCURRENT_UPDATE', 'WORKSPACE_NOT_FOUND']);

      const roles = await expectConsistent(ws);
      const survivor = succeeded(responses[0] as ApiResponse) ? a : b;
      const removed = survivor === a ? b : a;
      expect(roles.get(survivor.userId)).toBe('owner');
      expect(roles.has(removed.userId)).toBe(false);
      expectOneEventPerSuccess(await eventsOf(ws, survivor, 'member.removed'), responses, 'member.removed');
      expect((await api.get(workspacePath(ws), removed.token)).status).toBe(404);
    });
  });

  it('parallel renames: the audit log is one unbroken chain of names ending in the final one', async () => {
    const team = await createTeam(api);
    const ws = team.workspaceId;
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        api.patch(workspacePath(ws), (index % 2 ? team.admin : team.owner).token, { name: `Name ${index}` }),
      ),
    );
    const winners = responses.filter(succeeded);
    expect(winners.length).toBeGreaterThan(0);
    for (const loser of responses.filter((response) => !succeeded(response))) {
      expectRefusal(loser, ['CONCURRENT_UPDATE']);
    }
    // Newest first: each event's "before" is the "after" of the one before it in time.
    const events = await eventsOf(ws, team.owner, 'workspace.updated');
    expect(events).toHaveLength(winners.length);
    for (const [index, event] of events.entries()) {
      const older = events[index + 1];
      expect(event.before).toEqual({ name: older ? older.after?.name : 'Acme' });
    }
    const final = await api.get(workspacePath(ws), team.owner.token);
    expect(final.body.data.name).toBe(events[0]?.after?.name);
  });
});
