import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/access/roles';
import { memberKey, workspaceKey } from '../../../shared/db/keys';
import { startTestApi, type TestApi, type TestUser } from '../../support/api';
import { memberPath, workspacePath } from '../../support/paths';
import { createTeam, seedMember, type Team } from '../../support/seed';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

interface MemberBody {
  userId: string;
  email: string;
  name: string;
  role: Role;
  phoneNumbers: unknown[];
  lastActiveAt: string | null;
  joinedAt: string;
}

/** The workspace item as stored, with the counters the API does not return. */
async function storedWorkspace(workspaceId: string) {
  const { Item } = await api.documents.send(
    new GetCommand({ TableName: api.tableName, Key: workspaceKey(workspaceId), ConsistentRead: true }),
  );
  return Item as { memberCount: number; ownerCount: number };
}

async function storedMember(workspaceId: string, userId: string) {
  const { Item } = await api.documents.send(
    new GetCommand({ TableName: api.tableName, Key: memberKey(workspaceId, userId), ConsistentRead: true }),
  );
  return Item as { role: Role; lastActiveAt: string | null } | undefined;
}

async function allMembers(team: Team, token = team.owner.token): Promise<MemberBody[]> {
  const response = await api.get(`${workspacePath(team)}/members?limit=100`, token);
  expect(response.status).toBe(200);
  expect(response.body.nextCursor).toBeNull();
  return response.body.data;
}

async function rolesOf(team: Team, token = team.owner.token): Promise<Record<string, Role>> {
  return Object.fromEntries((await allMembers(team, token)).map((member) => [member.userId, member.role]));
}

/** A second owner (or any role) seeded into the team's workspace. */
async function addMember(team: Team, role: Role, name?: string): Promise<TestUser> {
  const user = await api.user(name ? { name } : {});
  await seedMember(api, team.workspaceId, user, role);
  return user;
}

/** By name (case-insensitive), then user id: the order the contract fixes. */
const byNameThenId = (a: MemberBody, b: MemberBody) => {
  const [nameA, nameB] = [a.name.toLocaleLowerCase('en'), b.name.toLocaleLowerCase('en')];
  if (nameA !== nameB) return nameA < nameB ? -1 : 1;
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
};

/** Follows nextCursor to the end, checking every page's size. */
async function collectPages(path: string, token: string, limit: number) {
  const pages: MemberBody[][] = [];
  let after: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const query: string = `limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
    const response = await api.get(`${path}${separator}${query}`, token);
    expect(response.status).toBe(200);
    expect(response.body.data.length).toBeLessThanOrEqual(limit);
    pages.push(response.body.data);
    after = response.body.nextCursor;
    expect(pages.length, 'pagination does not end').toBeLessThan(20);
  } while (after);
  return pages;
}

describe('listing members', () => {
  it('lists every member with the contract’s fields, sorted by name (case-insensitive) then user id', async () => {
    const team = await createTeam(api);
    const zed = await addMember(team, 'member', 'Zed Zulu');
    const lower = await addMember(team, 'admin', 'beatrice lower');
    const twinA = await addMember(team, 'member', 'Sam Twin');
    const twinB = await addMember(team, 'member', 'Sam Twin');
    // A name that starts another one sorts first.
    await addMember(team, 'member', 'Sam Twinning');
    await addMember(team, 'member', 'Sam');

    const members = await allMembers(team, team.member.token);
    expect(members.map((member) => member.name)).toEqual([
      'Adam Admin',
      'beatrice lower',
      'Mia Member',
      'Olivia Owner',
      'Sam',
      'Sam Twin',
      'Sam Twin',
      'Sam Twinning',
      'Zed Zulu',
    ]);
    expect(members).toEqual([...members].sort(byNameThenId));
    const twins = members.filter((member) => member.name === 'Sam Twin').map((member) => member.userId);
    expect(twins).toEqual([twinA.userId, twinB.userId].sort());

    // The contract's fields (the API may add others).
    expect(members.find((member) => member.userId === lower.userId)).toMatchObject({
      userId: lower.userId,
      email: lower.email,
      name: 'beatrice lower',
      role: 'admin',
      phoneNumbers: [],
      lastActiveAt: null,
      joinedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // The creator was active when creating the workspace.
    const owner = members.find((member) => member.userId === team.owner.userId);
    expect(owner).toMatchObject({ role: 'owner', email: team.owner.email, lastActiveAt: owner?.joinedAt });
    expect(members.map((member) => member.userId)).toContain(zed.userId);
  });

  it('filters by role', async () => {
    const team = await createTeam(api);
    const secondOwner = await addMember(team, 'owner', 'Otto Owner');
    const secondMember = await addMember(team, 'member', 'Max Member');
    const base = `${workspacePath(team)}/members`;

    const ids = async (role: string) => {
      const response = await api.get(`${base}?role=${role}`, team.admin.token);
      expect(response.status).toBe(200);
      expect(response.body.nextCursor).toBeNull();
      for (const member of response.body.data) expect(member.role).toBe(role);
      return response.body.data.map((member: MemberBody) => member.userId);
    };
    expect(await ids('owner')).toEqual([team.owner.userId, secondOwner.userId]);
    expect(await ids('admin')).toEqual([team.admin.userId]);
    expect(await ids('member')).toEqual([secondMember.userId, team.member.userId]);

    // A role change moves the member between the role lists at once; a removal takes them out.
    const promoted = await api.patch(`${base}/${secondMember.userId}`, team.owner.token, { role: 'admin' });
    expect(promoted.status).toBe(200);
    expect(await ids('admin')).toEqual([team.admin.userId, secondMember.userId]);
    expect(await ids('member')).toEqual([team.member.userId]);
    expect((await api.del(`${base}/${secondMember.userId}`, team.owner.token)).status).toBe(204);
    expect(await ids('admin')).toEqual([team.admin.userId]);

    const invalid = await api.get(`${base}?role=boss`, team.owner.token);
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.errors[0].path).toBe('role');
  });

  it('pages with limit and after across several pages: no duplicates, no gaps, null cursor at the end', async () => {
    const team = await createTeam(api);
    for (const name of ['Gina', 'Hugo', 'Ines', 'Jack', 'Kate', 'Liam'])
      await addMember(team, 'member', name);
    const everyone = await allMembers(team);
    expect(everyone).toHaveLength(9);

    // (The owner's lastActiveAt, set at creation, does not move while paging.)
    const pages = await collectPages(`${workspacePath(team)}/members`, team.owner.token, 4);
    expect(pages.map((page) => page.length)).toEqual([4, 4, 1]);
    const paged = pages.flat();
    expect(new Set(paged.map((member) => member.userId)).size).toBe(9);
    expect(paged).toEqual(everyone);

    const single = await collectPages(`${workspacePath(team)}/members`, team.owner.token, 2);
    expect(single.flat()).toEqual(everyone);
  });

  it('pages a role-filtered list, each page full until the last', async () => {
    const team = await createTeam(api);
    for (const name of ['Alba', 'Bert', 'Cleo', 'Dora']) await addMember(team, 'member', name);
    await addMember(team, 'admin', 'Aaron Admin');
    await addMember(team, 'admin', 'Zoe Admin');
    const members = (await allMembers(team)).filter((member) => member.role === 'member');
    expect(members).toHaveLength(5);

    const pages = await collectPages(`${workspacePath(team)}/members?role=member`, team.owner.token, 2);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(members);
  });
});

describe('getting one member', () => {
  it('returns the member as listed, to any member', async () => {
    const team = await createTeam(api);
    const listed = await allMembers(team);
    for (const target of [team.owner, team.admin, team.member]) {
      const response = await api.get(memberPath(team, target.userId), team.member.token);
      expect(response.status).toBe(200);
      const listedMember = listed.find((member) => member.userId === target.userId);
      // The caller's own lastActiveAt moves with this very request; compare the rest.
      expect({ ...response.body.data, lastActiveAt: null }).toEqual({ ...listedMember, lastActiveAt: null });
    }
  });

  it('404 MEMBER_NOT_FOUND for an unknown user and for a user who is not a member', async () => {
    const team = await createTeam(api);
    for (const userId of ['nobody-at-all', team.outsider.userId]) {
      const response = await api.get(memberPath(team, userId), team.owner.token);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('MEMBER_NOT_FOUND');
    }
  });
});

describe('changing roles (D3)', () => {
  it('lets an admin promote a member to admin and demote an admin to member', async () => {
    const team = await createTeam(api);
    const promoted = await api.patch(memberPath(team, team.member.userId), team.admin.token, {
      role: 'admin',
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.data).toMatchObject({ userId: team.member.userId, role: 'admin' });
    expect((await api.get(memberPath(team, team.member.userId), team.owner.token)).body.data.role).toBe(
      'admin',
    );

    const demoted = await api.patch(memberPath(team, team.member.userId), team.admin.token, {
      role: 'member',
    });
    expect(demoted.status).toBe(200);
    expect(demoted.body.data.role).toBe('member');
    expect(await rolesOf(team)).toEqual({
      [team.owner.userId]: 'owner',
      [team.admin.userId]: 'admin',
      [team.member.userId]: 'member',
    });
  });

  it('refuses an admin making or unmaking an owner: 403 OWNER_REQUIRED', async () => {
    const team = await createTeam(api);
    const attempts = [
      [team.member.userId, 'owner'],
      [team.owner.userId, 'admin'],
      [team.owner.userId, 'member'],
      [team.owner.userId, 'owner'],
    ] as const;
    for (const [userId, role] of attempts) {
      const response = await api.patch(memberPath(team, userId), team.admin.token, { role });
      expect(response.status, `${userId} to ${role}`).toBe(403);
      expect(response.body.code).toBe('OWNER_REQUIRED');
    }
    expect(await rolesOf(team)).toEqual({
      [team.owner.userId]: 'owner',
      [team.admin.userId]: 'admin',
      [team.member.userId]: 'member',
    });
    expect((await storedWorkspace(team.workspaceId)).ownerCount).toBe(1);
  });

  it('refuses a member changing any role: 403 ROLE_FORBIDDEN', async () => {
    const team = await createTeam(api);
    const other = await addMember(team, 'member');
    for (const [userId, role] of [
      [other.userId, 'admin'],
      [team.member.userId, 'admin'],
      [team.admin.userId, 'member'],
    ] as const) {
      const response = await api.patch(memberPath(team, userId), team.member.token, { role });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('ROLE_FORBIDDEN');
      expect(response.body.message).toContain('members.updateRole');
    }
    expect((await rolesOf(team))[other.userId]).toBe('member');
  });

  it('lets an owner make owners and demote another owner', async () => {
    const team = await createTeam(api);
    const toOwner = await api.patch(memberPath(team, team.member.userId), team.owner.token, {
      role: 'owner',
    });
    expect(toOwner.status).toBe(200);
    expect(toOwner.body.data.role).toBe('owner');
    const adminToOwner = await api.patch(memberPath(team, team.admin.userId), team.owner.token, {
      role: 'owner',
    });
    expect(adminToOwner.body.data.role).toBe('owner');
    expect(await storedWorkspace(team.workspaceId)).toMatchObject({ ownerCount: 3, memberCount: 3 });

    // The new owner demotes the one who promoted them.
    const demoted = await api.patch(memberPath(team, team.owner.userId), team.member.token, {
      role: 'member',
    });
    expect(demoted.status).toBe(200);
    expect(demoted.body.data).toMatchObject({ userId: team.owner.userId, role: 'member' });
    expect(await rolesOf(team)).toEqual({
      [team.owner.userId]: 'member',
      [team.admin.userId]: 'owner',
      [team.member.userId]: 'owner',
    });
    expect((await storedWorkspace(team.workspaceId)).ownerCount).toBe(2);
  });

  it('lets an owner step down while another owner remains, never the last one: 409 LAST_OWNER', async () => {
    const team = await createTeam(api);
    const second = await addMember(team, 'owner', 'Second Owner');

    const steppedDown = await api.patch(memberPath(team, team.owner.userId), team.owner.token, {
      role: 'admin',
    });
    expect(steppedDown.status).toBe(200);
    expect(steppedDown.body.data).toMatchObject({ userId: team.owner.userId, role: 'admin' });
    expect((await storedWorkspace(team.workspaceId)).ownerCount).toBe(1);

    for (const role of ['admin', 'member'] as const) {
      const last = await api.patch(memberPath(team, second.userId), second.token, { role });
      expect(last.status).toBe(409);
      expect(last.body.code).toBe('LAST_OWNER');
    }
    // Nor can anyone else demote the last owner (the former owner is now an admin).
    const byAdmin = await api.patch(memberPath(team, second.userId), team.owner.token, { role: 'admin' });
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.code).toBe('OWNER_REQUIRED');

    expect((await rolesOf(team))[second.userId]).toBe('owner');
    expect((await storedWorkspace(team.workspaceId)).ownerCount).toBe(1);
  });

  it('refuses anyone else changing their own role: 403 OWN_ROLE_CHANGE (ROLE_FORBIDDEN for a member)', async () => {
    const team = await createTeam(api);
    for (const role of ['member', 'owner', 'admin'] as const) {
      const response = await api.patch(memberPath(team, team.admin.userId), team.admin.token, { role });
      expect(response.status, role).toBe(403);
      expect(response.body.code).toBe('OWN_ROLE_CHANGE');
    }
    const member = await api.patch(memberPath(team, team.member.userId), team.member.token, {
      role: 'admin',
    });
    expect(member.status).toBe(403);
    expect(member.body.code).toBe('ROLE_FORBIDDEN');
    expect((await rolesOf(team))[team.admin.userId]).toBe('admin');
  });

  it('404 MEMBER_NOT_FOUND for a target who is not a member; the same role is a no-op', async () => {
    const team = await createTeam(api);
    for (const userId of [team.outsider.userId, 'nobody-at-all']) {
      const response = await api.patch(memberPath(team, userId), team.owner.token, { role: 'admin' });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('MEMBER_NOT_FOUND');
    }
    const same = await api.patch(memberPath(team, team.admin.userId), team.owner.token, { role: 'admin' });
    expect(same.status).toBe(200);
    expect(same.body.data).toMatchObject({ userId: team.admin.userId, role: 'admin' });
  });

  it('applies a role change to the affected user’s very next request', async () => {
    const team = await createTeam(api);
    const permissionsPath = `${workspacePath(team)}/permissions`;
    const auditPath = `${workspacePath(team)}/audit-events`;

    expect((await api.get(auditPath, team.member.token)).status).toBe(403);
    await api.patch(memberPath(team, team.member.userId), team.owner.token, { role: 'admin' });
    expect((await api.get(permissionsPath, team.member.token)).body.data.role).toBe('admin');
    expect((await api.get(auditPath, team.member.token)).status).toBe(200);

    await api.patch(memberPath(team, team.admin.userId), team.owner.token, { role: 'member' });
    const refused = await api.get(auditPath, team.admin.token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ROLE_FORBIDDEN');
    expect((await api.get(permissionsPath, team.admin.token)).body.data).toEqual({
      role: 'member',
      permissions: ['messaging.use', 'contacts.manage', 'contacts.import', 'members.invite'],
    });

    // An owner who stepped down can no longer transfer ownership.
    const second = await addMember(team, 'owner');
    await api.patch(memberPath(team, team.owner.userId), team.owner.token, { role: 'admin' });
    const transfer = await api.post(`${workspacePath(team)}/ownership-transfer`, team.owner.token, {
      userId: team.member.userId,
    });
    expect(transfer.status).toBe(403);
    expect(transfer.body.code).toBe('ROLE_FORBIDDEN');
    expect((await api.get(permissionsPath, second.token)).body.data.role).toBe('owner');
  });
});

describe('removing members', () => {
  it('lets an admin remove a member: 204, access revoked at once, memberCount down', async () => {
    const team = await createTeam(api);
    expect((await api.get(workspacePath(team), team.member.token)).status).toBe(200);

    const removed = await api.del(memberPath(team, team.member.userId), team.admin.token);
    expect(removed.status).toBe(204);
    expect(removed.body).toBeUndefined();

    const next = await api.get(workspacePath(team), team.member.token);
    expect(next.status).toBe(404);
    expect(next.body.code).toBe('WORKSPACE_NOT_FOUND');
    expect((await api.get(`${workspacePath(team)}/members`, team.member.token)).status).toBe(404);
    expect((await api.get('/v1/workspaces', team.member.token)).body.data).toEqual([]);
    expect((await api.get('/v1/me', team.member.token)).body.data.workspaces).toEqual([]);

    const gone = await api.get(memberPath(team, team.member.userId), team.owner.token);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('MEMBER_NOT_FOUND');
    expect((await allMembers(team)).map((member) => member.userId).sort()).toEqual(
      [team.owner.userId, team.admin.userId].sort(),
    );
    expect((await api.get(workspacePath(team), team.owner.token)).body.data.memberCount).toBe(2);
    expect(await storedWorkspace(team.workspaceId)).toMatchObject({ memberCount: 2, ownerCount: 1 });
  });

  it('lets an admin remove another admin, never an owner: 403 OWNER_REQUIRED', async () => {
    const team = await createTeam(api);
    const otherAdmin = await addMember(team, 'admin');
    const refused = await api.del(memberPath(team, team.owner.userId), team.admin.token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('OWNER_REQUIRED');
    expect((await rolesOf(team))[team.owner.userId]).toBe('owner');

    expect((await api.del(memberPath(team, otherAdmin.userId), team.admin.token)).status).toBe(204);
    expect(await storedWorkspace(team.workspaceId)).toMatchObject({ memberCount: 3, ownerCount: 1 });
  });

  it('refuses a member removing anyone: 403 ROLE_FORBIDDEN', async () => {
    const team = await createTeam(api);
    const other = await addMember(team, 'member');
    const response = await api.del(memberPath(team, other.userId), team.member.token);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('ROLE_FORBIDDEN');
    expect(response.body.message).toContain('members.remove');
    expect((await storedWorkspace(team.workspaceId)).memberCount).toBe(4);
  });

  it('lets an owner remove another owner while one remains', async () => {
    const team = await createTeam(api);
    const second = await addMember(team, 'owner');
    expect(await storedWorkspace(team.workspaceId)).toMatchObject({ memberCount: 4, ownerCount: 2 });
    expect((await api.del(memberPath(team, second.userId), team.owner.token)).status).toBe(204);
    expect(await storedWorkspace(team.workspaceId)).toMatchObject({ memberCount: 3, ownerCount: 1 });
    expect((await api.get(workspacePath(team), second.token)).status).toBe(404);
  });

  it('refuses removing yourself: 400 CANNOT_TARGET_SELF (leave instead)', async () => {
    const team = await createTeam(api);
    await addMember(team, 'owner');
    for (const user of [team.owner, team.admin]) {
      const response = await api.del(memberPath(team, user.userId), user.token);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('CANNOT_TARGET_SELF');
    }
    expect((await storedWorkspace(team.workspaceId)).memberCount).toBe(4);
  });

  it('reassigns numbers to the caller by default, to another member on request, never to a non-member', async () => {
    const team = await createTeam(api);
    const heir = await addMember(team, 'member');
    const leaving = await addMember(team, 'member');
    const path = memberPath(team, team.member.userId);

    for (const reassignNumbersTo of [team.member.userId, team.outsider.userId, 'nobody-at-all']) {
      const response = await api.del(`${path}?reassignNumbersTo=${reassignNumbersTo}`, team.admin.token);
      expect(response.status, reassignNumbersTo).toBe(400);
      expect(response.body.code).toBe('REASSIGN_TARGET_NOT_MEMBER');
    }
    expect((await storedWorkspace(team.workspaceId)).memberCount).toBe(5);

    expect((await api.del(`${path}?reassignNumbersTo=${heir.userId}`, team.admin.token)).status).toBe(204);
    expect((await api.del(memberPath(team, leaving.userId), team.owner.token)).status).toBe(204);
    const events = await api.get(
      `${workspacePath(team)}/audit-events?action=member.removed`,
      team.owner.token,
    );
    expect(events.body.data.map((event: { target: { id: string }; after: unknown }) => event.after)).toEqual([
      { numbersReassignedTo: team.owner.userId, hideHistory: false, numbers: [] },
      { numbersReassignedTo: heir.userId, hideHistory: false, numbers: [] },
    ]);
    expect((await storedWorkspace(team.workspaceId)).memberCount).toBe(3);
  });

  it('refuses a removal from a mobile client: 403 MOBILE_NOT_ALLOWED', async () => {
    const team = await createTeam(api);
    const path = memberPath(team, team.member.userId);
    for (const platform of ['mobile', 'Mobile']) {
      const response = await api.del(path, team.owner.token, { headers: { 'x-client-platform': platform } });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('MOBILE_NOT_ALLOWED');
    }
    expect((await api.get(path, team.owner.token)).status).toBe(200);
    const fromWeb = await api.del(path, team.owner.token, { headers: { 'x-client-platform': 'web' } });
    expect(fromWeb.status).toBe(204);
    const fromDesktop = await api.del(memberPath(team, team.admin.userId), team.owner.token, {
      headers: { 'x-client-platform': 'desktop' },
    });
    expect(fromDesktop.status).toBe(204);
    expect((await storedWorkspace(team.workspaceId)).memberCount).toBe(1);
  });

  it('404 MEMBER_NOT_FOUND for a target who is not (or no longer) a member', async () => {
    const team = await createTeam(api);
    expect((await api.del(memberPath(team, team.member.userId), team.owner.token)).status).toBe(204);
    for (const userId of [team.member.userId, team.outsider.userId]) {
      const response = await api.del(memberPath(team, userId), team.owner.token);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('MEMBER_NOT_FOUND');
    }
    expect((await storedWorkspace(team.workspaceId)).memberCount).toBe(2);
  });
});

describe('leaving', () => {
  it('lets a member leave: 204, no access afterwards, memberCount down', async () => {
    const team = await createTeam(api);
    const left = await api.post(`${workspacePath(team)}/leave`, team.member.token);
    expect(left.status).toBe(204);
    expect(left.body).toBeUndefined();
    const next = await api.post(`${workspacePath(team)}/leave`, team.member.token);
    expect(next.status).toBe(404);
    expect(next.body.code).toBe('WORKSPACE_NOT_FOUND');
    expect((await api.get(workspacePath(team), team.owner.token)).body.data.memberCount).toBe(2);
    expect(await storedWorkspace(team.workspaceId)).toMatchObject({ memberCount: 2, ownerCount: 1 });

    expect((await api.post(`${workspacePath(team)}/leave`, team.admin.token)).status).toBe(204);
    expect(await storedWorkspace(team.workspaceId)).toMatchObject({ memberCount: 1, ownerCount: 1 });
    expect((await allMembers(team)).map((member) => member.userId)).toEqual([team.owner.userId]);
  });

  it('lets an owner leave while another owner remains; the last owner cannot: 409 LAST_OWNER', async () => {
    const team = await createTeam(api);
    const second = await addMember(team, 'owner');
    expect((await api.post(`${workspacePath(team)}/leave`, team.owner.token)).status).toBe(204);
    expect(await storedWorkspace(team.workspaceId)).toMatchObject({ memberCount: 3, ownerCount: 1 });

    const last = await api.post(`${workspacePath(team)}/leave`, second.token);
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('LAST_OWNER');
    expect(last.body.message).toMatch(/owner/);
    expect((await rolesOf(team, second.token))[second.userId]).toBe('owner');
    expect(await storedWorkspace(team.workspaceId)).toMatchObject({ memberCount: 3, ownerCount: 1 });
  });
});

describe('transferring ownership', () => {
  it('makes the target an owner and the caller an admin, answering {from, to}', async () => {
    const team = await createTeam(api);
    const response = await api.post(`${workspacePath(team)}/ownership-transfer`, team.owner.token, {
      userId: team.member.userId,
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      from: expect.objectContaining({ userId: team.owner.userId, email: team.owner.email, role: 'admin' }),
      to: expect.objectContaining({ userId: team.member.userId, email: team.member.email, role: 'owner' }),
    });
    expect(await rolesOf(team)).toEqual({
      [team.owner.userId]: 'admin',
      [team.admin.userId]: 'admin',
      [team.member.userId]: 'owner',
    });
    expect(await storedWorkspace(team.workspaceId)).toMatchObject({ memberCount: 3, ownerCount: 1 });

    // The next requests follow the new roles.
    const again = await api.post(`${workspacePath(team)}/ownership-transfer`, team.owner.token, {
      userId: team.admin.userId,
    });
    expect(again.status).toBe(403);
    expect(again.body.code).toBe('ROLE_FORBIDDEN');
    const back = await api.post(`${workspacePath(team)}/ownership-transfer`, team.member.token, {
      userId: team.owner.userId,
    });
    expect(back.status).toBe(200);
    expect(back.body.data.to).toMatchObject({ userId: team.owner.userId, role: 'owner' });
    expect((await rolesOf(team))[team.member.userId]).toBe('admin');
  });

  it('keeps the other owners when one of several transfers', async () => {
    const team = await createTeam(api);
    const second = await addMember(team, 'owner');
    const response = await api.post(`${workspacePath(team)}/ownership-transfer`, second.token, {
      userId: team.admin.userId,
    });
    expect(response.status).toBe(200);
    expect(await rolesOf(team)).toMatchObject({
      [team.owner.userId]: 'owner',
      [second.userId]: 'admin',
      [team.admin.userId]: 'owner',
    });
    expect((await storedWorkspace(team.workspaceId)).ownerCount).toBe(2);
  });

  it('refuses a target who is not a member (404), yourself (400), an owner (409), and non-owners (403)', async () => {
    const team = await createTeam(api);
    const second = await addMember(team, 'owner');
    const path = `${workspacePath(team)}/ownership-transfer`;
    const expectations = [
      [team.owner, team.outsider.userId, 404, 'MEMBER_NOT_FOUND'],
      [team.owner, 'nobody-at-all', 404, 'MEMBER_NOT_FOUND'],
      [team.owner, team.owner.userId, 400, 'CANNOT_TARGET_SELF'],
      [team.owner, second.userId, 409, 'ALREADY_OWNER'],
      [team.admin, team.member.userId, 403, 'ROLE_FORBIDDEN'],
      [team.member, team.admin.userId, 403, 'ROLE_FORBIDDEN'],
    ] as const;
    for (const [caller, userId, status, code] of expectations) {
      const response = await api.post(path, caller.token, { userId });
      expect(response.status, `${caller.name} to ${userId}`).toBe(status);
      expect(response.body.code).toBe(code);
    }
    expect(await rolesOf(team)).toEqual({
      [team.owner.userId]: 'owner',
      [second.userId]: 'owner',
      [team.admin.userId]: 'admin',
      [team.member.userId]: 'member',
    });
  });
});

describe('lastActiveAt', () => {
  it('is set by a member’s request and not rewritten by the next ones', async () => {
    const team = await createTeam(api);
    expect((await storedMember(team.workspaceId, team.member.userId))?.lastActiveAt).toBeNull();

    const before = new Date().toISOString();
    expect((await api.get(`${workspacePath(team)}/permissions`, team.member.token)).status).toBe(200);
    const after = new Date().toISOString();
    const first = (await storedMember(team.workspaceId, team.member.userId))?.lastActiveAt;
    expect(first).toEqual(expect.any(String));
    expect(first! >= before && first! <= after, `${before} <= ${first} <= ${after}`).toBe(true);

    const seen = await api.get(memberPath(team, team.member.userId), team.owner.token);
    expect(seen.body.data.lastActiveAt).toBe(first);

    await new Promise((resolve) => setTimeout(resolve, 5));
    await api.get(`${workspacePath(team)}/members`, team.member.token);
    await api.get(workspacePath(team), team.member.token);
    expect((await storedMember(team.workspaceId, team.member.userId))?.lastActiveAt).toBe(first);
    // Another member's requests do not touch it either.
    expect((await storedMember(team.workspaceId, team.admin.userId))?.lastActiveAt).toBeNull();
  });

  it('is refreshed once it is older than the 15-minute resolution', async () => {
    const team = await createTeam(api);
    const old = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    await api.documents.send(
      new UpdateCommand({
        TableName: api.tableName,
        Key: memberKey(team.workspaceId, team.admin.userId),
        UpdateExpression: 'SET lastActiveAt = :old',
        ExpressionAttributeValues: { ':old': old },
      }),
    );
    const before = new Date().toISOString();
    await api.get(workspacePath(team), team.admin.token);
    const refreshed = (await storedMember(team.workspaceId, team.admin.userId))?.lastActiveAt;
    expect(refreshed! >= before).toBe(true);
    expect(
      (await api.get(memberPath(team, team.admin.userId), team.owner.token)).body.data.lastActiveAt,
    ).toBe(refreshed);
  });
});
