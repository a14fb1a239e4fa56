import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/core/ids';
import { addressKey, departureKey, memberKey, membershipKey, workspaceKey } from '../../../shared/db/keys';
import { departingAttribute } from '../../../shared/features/numbers/items';
import { startTestApi, type TestApi } from '../../support/api';
import { auditLog } from '../../support/audit';
import { accessPath, addNumber, grant, numberPath } from '../../support/numbers';
import { createTeam, seedMember } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

const memberOf = async (workspaceId: string, userId: string, token: string) =>
  (await api.get(`/v1/workspaces/${workspaceId}/members/${userId}`, token)).body.data;

describe('a removal that stopped midway', () => {
  it('rings nobody gone, lets nobody back in, and is finished by the same request sent again', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    await grant(api, team.workspaceId, id, team.owner, team.member, 'exclusive', true);
    // The state a removal leaves when its function stops after its first transaction.
    const startedAt = new Date().toISOString();
    await api.documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: api.tableName, Key: memberKey(team.workspaceId, team.member.userId) } },
          { Delete: { TableName: api.tableName, Key: membershipKey(team.member.userId, team.workspaceId) } },
          {
            Delete: {
              TableName: api.tableName,
              Key: addressKey(team.workspaceId, team.member.email.toLowerCase()),
            },
          },
          {
            Put: {
              TableName: api.tableName,
              Item: {
                ...departureKey(team.workspaceId, team.member.userId),
                workspaceId: team.workspaceId,
                userId: team.member.userId,
                heir: team.owner.userId,
                hideHistory: false,
                numberIds: [id],
                startedAt,
              },
            },
          },
          {
            Update: {
              TableName: api.tableName,
              Key: workspaceKey(team.workspaceId),
              UpdateExpression: 'SET #departing = :since',
              ExpressionAttributeNames: { '#departing': departingAttribute(team.member.userId) },
              ExpressionAttributeValues: { ':since': startedAt },
            },
          },
        ],
      }),
    );
    const routing = await api.get(`/internal${numberPath(team.workspaceId, id)}/routing`, team.serviceToken);
    expect(routing.body.data.waves).toEqual([]);
    const decision = await api.get(
      `/internal${numberPath(team.workspaceId, id)}/can?userId=${team.member.userId}&action=call`,
      team.serviceToken,
    );
    expect(decision.body.data).toMatchObject({ allowed: false, reason: 'NO_ACCESS' });
    // Invited back meanwhile: the accept waits for the removal to be finished.
    const invited = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.owner.token, {
      emails: [team.member.email],
      role: 'member',
      phoneAssignment: { mode: 'new' },
    });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const early = await api.post('/v1/invitations/accept', team.member.token, {
      workspaceId: team.workspaceId,
      invitationId: invited.body.data[0].id,
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('REMOVAL_IN_PROGRESS');
    // The same removal, sent again, finishes it.
    const finished = await api.del(
      `/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`,
      team.admin.token,
    );
    expect(finished.status).toBe(204);
    const number = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(number.body.data.members).toEqual([
      expect.objectContaining({ userId: team.owner.userId, access: 'exclusive', numberOwner: true }),
    ]);
    const after = await api.get(`/internal${numberPath(team.workspaceId, id)}/routing`, team.serviceToken);
    expect(after.body.data.waves).toEqual([[team.owner.userId]]);
    const late = await api.post('/v1/invitations/accept', team.member.token, {
      workspaceId: team.workspaceId,
      invitationId: invited.body.data[0].id,
    });
    expect(late.status).toBe(200);
    expect(
      (await api.del(`/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`, team.admin.token))
        .status,
    ).toBe(204);
    expect(
      (await api.del(`/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`, team.admin.token))
        .status,
    ).toBe(404);
  });
});

describe('what races and second thoughts must not break', () => {
  it('a member’s invitation sharing a number released meanwhile: accepted, the number listed as not shared', async () => {
    const team = await createTeam(api);
    const kept = await addNumber(api, team.workspaceId, team.owner);
    const released = await addNumber(api, team.workspaceId, team.owner);
    await grant(api, team.workspaceId, kept, team.owner, team.member, 'shared');
    await grant(api, team.workspaceId, released, team.owner, team.member, 'shared');
    const email = `guest-${newId('IV').slice(-10).toLowerCase()}@acme.test`;
    const invited = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.member.token, {
      emails: [email],
      role: 'member',
      phoneAssignment: { mode: 'share', phoneNumberIds: [kept, released], access: 'shared' },
    });
    expect(invited.status).toBe(201);
    expect((await api.del(numberPath(team.workspaceId, released), team.owner.token)).status).toBe(204);
    const invitee = await api.user({ email });
    const accepted = await api.post('/v1/invitations/accept', invitee.token, {
      workspaceId: team.workspaceId,
      invitationId: invited.body.data[0].id,
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.data.numbersNotShared).toEqual([
      expect.objectContaining({ id: released, reason: 'NUMBER_NOT_FOUND' }),
    ]);
    expect(accepted.body.data.member.phoneNumbers.map((number: { id: string }) => number.id)).toEqual([kept]);
  });

  it('a release racing a revoke and a new grant leaves nobody listing the released number (10 rounds)', async () => {
    for (let round = 0; round < 10; round++) {
      const team = await createTeam(api);
      const id = await addNumber(api, team.workspaceId, team.owner);
      await grant(api, team.workspaceId, id, team.owner, team.member, 'shared');
      const [released] = await Promise.all([
        api.del(numberPath(team.workspaceId, id), team.owner.token),
        (async () => {
          await api.del(accessPath(team.workspaceId, id, team.member.userId), team.admin.token);
          await api.put(accessPath(team.workspaceId, id, team.admin.userId), team.admin.token, {
            access: 'shared',
          });
        })(),
      ]);
      const lists = [
        await memberOf(team.workspaceId, team.member.userId, team.owner.token),
        await memberOf(team.workspaceId, team.admin.userId, team.owner.token),
      ];
      const number = await api.get(numberPath(team.workspaceId, id), team.owner.token);
      for (const member of lists) {
        const listed = member.phoneNumbers.some((held: { id: string }) => held.id === id);
        // Listed exactly when the number still exists and has that member's entry.
        const entry =
          number.status === 200 &&
          number.body.data.members.some((holder: { userId: string }) => holder.userId === member.userId);
        expect(listed, `round ${round}, release ${released.status}`).toBe(entry);
      }
    }
  });

  it('a change of level keeps the holder’s own notifications, even when both are sent at once', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    await grant(api, team.workspaceId, id, team.owner, team.member, 'shared');
    await Promise.all([
      api.put(`${numberPath(team.workspaceId, id)}/notifications`, team.member.token, { calls: false }),
      api.put(accessPath(team.workspaceId, id, team.member.userId), team.owner.token, {
        access: 'exclusive',
      }),
    ]);
    const number = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    expect(number.body.data.members).toEqual([
      expect.objectContaining({
        access: 'exclusive',
        notifications: { calls: false, messages: true, voicemail: true },
      }),
    ]);
  });

  it('a number owner removed meanwhile changes nothing', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const owner = await api.user();
    await seedMember(api, team.workspaceId, owner, 'member');
    await grant(api, team.workspaceId, id, team.owner, owner, 'shared', true);
    const results = await Promise.all([
      api.del(
        `/v1/workspaces/${team.workspaceId}/members/${owner.userId}?unassignNumbers=true`,
        team.admin.token,
      ),
      api.patch(numberPath(team.workspaceId, id), owner.token, { name: 'Renamed by a leaver' }),
    ]);
    expect(results[0].status).toBe(204);
    const number = await api.get(numberPath(team.workspaceId, id), team.owner.token);
    // Either the rename committed while they were still a member and number owner, or it was refused.
    if (results[1].status !== 200) {
      expect([404, 409]).toContain(results[1].status);
      expect(number.body.data.name).not.toBe('Renamed by a leaver');
    }
    expect(number.body.data.members).toEqual([]);
  });

  it('records where each number of a removed member went, one audit event per number', async () => {
    const team = await createTeam(api);
    const alone = await addNumber(api, team.workspaceId, team.owner);
    const shared = await addNumber(api, team.workspaceId, team.owner);
    await grant(api, team.workspaceId, alone, team.owner, team.member, 'exclusive', true);
    await grant(api, team.workspaceId, shared, team.owner, team.member, 'shared');
    await grant(api, team.workspaceId, shared, team.owner, team.admin, 'shared');
    expect(
      (await api.del(`/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`, team.owner.token))
        .status,
    ).toBe(204);
    const events = await auditLog(
      api,
      team.workspaceId,
      team.owner.token,
      'action=phoneNumber.accessRevoked',
    );
    const byNumber = Object.fromEntries(events.map((event) => [event.target.id, event]));
    expect(byNumber[alone]).toMatchObject({
      before: { userId: team.member.userId, access: 'exclusive', numberOwner: true },
      after: { reassignedTo: team.owner.userId, access: 'exclusive', numberOwner: true },
    });
    expect(byNumber[shared]).toMatchObject({
      before: { userId: team.member.userId, access: 'shared' },
      after: null,
    });
  });
});
