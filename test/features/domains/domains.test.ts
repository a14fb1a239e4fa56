import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourMs } from '../../../shared/core/time';
import { routes } from '../../../shared/routes';
import { startTestApi, type TestApi } from '../../support/api';
import { auditLog } from '../../support/audit';
import {
  claim,
  domainPath,
  domainsPath,
  joinAs,
  newDomain,
  publish,
  recheck,
  verifiedDomain,
  verifyPath,
} from '../../support/domains';
import { capturedLogs } from '../../support/logs';
import { emailsTo } from '../../support/mailbox';
import { pathTo } from '../../support/paths';
import { createTeam, setWorkspaceStatus, type Team } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

const claimAs = (team: Team, email: string, token = team.owner.token) =>
  api.post(domainsPath(team), token, { email });

describe('claiming a domain', () => {
  it('answers the TXT record to publish, whole, with the trust notice', async () => {
    const team = await createTeam(api);
    const domain = newDomain();
    const response = await claimAs(team, `Someone@${domain.toUpperCase()}.`);
    expect(response.status).toBe(201);
    const data = response.body.data;
    expect(data).toMatchObject({
      domain,
      status: 'pending',
      joinPolicy: 'automatic',
      includeSubdomains: false,
      claimedBy: { userId: team.owner.userId },
      verifiedAt: null,
      lastCheckedAt: null,
      lastSeenAt: null,
    });
    expect(data.record.type).toBe('TXT');
    expect(data.record.name).toBe(`_switchboard-challenge.${domain}`);
    // 128 random bits, unpadded base64url: 22 characters, no '='.
    expect(data.record.value).toMatch(/^switchboard-verification=[A-Za-z0-9_-]{22}$/);
    expect(Date.parse(data.expiresAt) - Date.parse(data.claimedAt)).toBe(7 * 24 * hourMs);
    expect(data.notice).toMatch(new RegExp(`${domain.replace('.', '\\.')}.*paid seat`));
    const fetched = await api.get(domainPath(team, domain), team.admin.token);
    expect(fetched.body.data).toEqual(data);
    const listed = await api.get(domainsPath(team), team.admin.token);
    expect(listed.body).toEqual({ data: [data], nextCursor: null });
  });

  it('turns an internationalized name into its ASCII form', async () => {
    const team = await createTeam(api);
    const response = await claimAs(team, 'info@bücher.example');
    expect(response.status).toBe(201);
    expect(response.body.data.domain).toBe('xn--bcher-kva.example');
    expect(response.body.data.record.name).toBe('_switchboard-challenge.xn--bcher-kva.example');
  });

  it('refuses what can never be claimed, each with its own code, writing nothing', async () => {
    const team = await createTeam(api);
    const cases: [string, number, string][] = [
      ['jane@gmail.com', 400, 'DOMAIN_FREE_PROVIDER'],
      ['jane@outlook.com', 400, 'DOMAIN_FREE_PROVIDER'],
      ['jane@hotmail.fr', 400, 'DOMAIN_FREE_PROVIDER'],
      ['jane@fastmail.com', 400, 'DOMAIN_FREE_PROVIDER'],
      ['jane@eu.gmail.com', 400, 'DOMAIN_FREE_PROVIDER'],
      ['jane@co.uk', 400, 'DOMAIN_PUBLIC_SUFFIX'],
      ['jane@com', 400, 'DOMAIN_PUBLIC_SUFFIX'],
      ['jane@github.io', 400, 'DOMAIN_PUBLIC_SUFFIX'],
      ['jane@192.0.2.1', 400, 'DOMAIN_NOT_REGISTRABLE'],
      ['jane@[192.0.2.1]', 400, 'DOMAIN_NOT_REGISTRABLE'],
      ['jane@localhost', 400, 'DOMAIN_NOT_REGISTRABLE'],
      ['jane@_dmarc.acme.com', 400, 'DOMAIN_NOT_REGISTRABLE'],
      ['not-an-address', 400, 'INVALID_EMAIL'],
      ['@acme.com', 400, 'INVALID_EMAIL'],
      ['jane doe@acme.com', 400, 'INVALID_EMAIL'],
      ['jane@', 400, 'INVALID_EMAIL'],
    ];
    for (const [email, status, code] of cases) {
      const response = await claimAs(team, email);
      expect([email, response.status, response.body.code]).toEqual([email, status, code]);
    }
    expect((await api.get(domainsPath(team), team.owner.token)).body.data).toEqual([]);
    expect(await auditLog(api, team.workspaceId, team.owner.token, 'action=domain.claimed')).toEqual([]);
  });

  it('refuses a second claim by the same workspace, and a domain another workspace verified', async () => {
    const team = await createTeam(api);
    const domain = newDomain();
    await claim(api, team, domain);
    const again = await claimAs(team, `other@${domain}`);
    expect([again.status, again.body.code]).toEqual([409, 'DOMAIN_ALREADY_CLAIMED']);

    const rival = await createTeam(api, 'Rival');
    // A pending claim elsewhere does not block: the first to verify wins.
    const rivalRecord = await claim(api, rival, domain);
    await publish(api, rivalRecord.name, [rivalRecord.value]);
    expect((await api.post(verifyPath(rival, domain), rival.owner.token)).status).toBe(200);
    const third = await createTeam(api, 'Third');
    const taken = await claimAs(third, `x@${domain}`);
    expect([taken.status, taken.body.code]).toEqual([409, 'DOMAIN_TAKEN']);
    expect(taken.body.message).not.toContain(rival.workspaceId);
  });

  it('lets a Member see none of it (403), and another workspace none of it (404)', async () => {
    const team = await createTeam(api);
    const domain = newDomain();
    await claim(api, team, domain);
    for (const path of [domainsPath(team), domainPath(team, domain)]) {
      const member = await api.get(path, team.member.token);
      expect([member.status, member.body.code]).toEqual([403, 'ROLE_FORBIDDEN']);
      const outsider = await api.get(path, team.outsider.token);
      expect([outsider.status, outsider.body.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
    }
    const other = await createTeam(api, 'Other');
    // Another workspace's domain, asked from one's own workspace: not found there.
    const foreign = await api.get(domainPath(other, domain), other.owner.token);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'DOMAIN_NOT_FOUND']);
    const verify = await api.post(verifyPath(other, domain), other.owner.token);
    expect([verify.status, verify.body.code]).toEqual([404, 'DOMAIN_NOT_FOUND']);
  });

  it('takes the domain in the path in its ASCII, lower-case form only', async () => {
    const team = await createTeam(api);
    for (const domain of ['ACME.example', 'acme.example.', 'bücher.example', 'a_b.example', 'nodot']) {
      const response = await api.get(domainPath(team, domain), team.owner.token);
      expect([domain, response.status, response.body.code]).toEqual([domain, 400, 'VALIDATION_FAILED']);
    }
  });
});

describe('verifying a domain', () => {
  it('says what is wrong until the record is right, then verifies', async () => {
    const team = await createTeam(api);
    const domain = newDomain();
    const record = await claim(api, team, domain);
    const verify = () => api.post(verifyPath(team, domain), team.owner.token);

    const missing = await verify();
    expect([missing.status, missing.body.code]).toEqual([409, 'DOMAIN_RECORD_NOT_FOUND']);
    expect(missing.body.message).toContain(record.name);
    expect(missing.body.message).toContain('72 hours');

    await publish(api, record.name, ['v=spf1 -all', `${record.value}-not-quite`]);
    const mismatch = await verify();
    expect([mismatch.status, mismatch.body.code]).toEqual([409, 'DOMAIN_RECORD_MISMATCH']);
    expect(mismatch.body.message).toContain('2 TXT records were found');
    expect(mismatch.body.message).toContain(record.value);

    // The value as a substring of a longer string is no match.
    await publish(api, record.name, [`prefix ${record.value}`]);
    expect((await verify()).body.code).toBe('DOMAIN_RECORD_MISMATCH');

    await publish(api, record.name, []);
    await publish(api, `${record.name}.${domain}`, [record.value]);
    const doubled = await verify();
    expect([doubled.status, doubled.body.code]).toEqual([409, 'DOMAIN_RECORD_MISPLACED']);
    expect(doubled.body.message).toContain(`${record.name}.${domain}`);

    await publish(api, record.name, ['v=spf1 -all', record.value]);
    const verified = await verify();
    expect(verified.status).toBe(200);
    expect(verified.body.data).toMatchObject({ domain, status: 'verified', expiresAt: null });
    expect(verified.body.data.verifiedAt).toBe(verified.body.data.lastSeenAt);
    expect(verified.body.data.notice).toMatch(/paid seat/);

    const events = (await auditLog(api, team.workspaceId, team.owner.token)).filter(
      (event) => event.target.type === 'domain',
    );
    expect(events.map((event) => event.action)).toEqual(['domain.verified', 'domain.claimed']);
    expect(events[0]).toMatchObject({
      actor: { userId: team.owner.userId },
      before: { status: 'pending' },
      after: { status: 'verified' },
    });
  });

  it('joins a record published in several chunks before comparing', async () => {
    const team = await createTeam(api);
    const domain = newDomain();
    const record = await claim(api, team, domain);
    const cut = 30;
    await publish(api, record.name, [[record.value.slice(0, cut), record.value.slice(cut)]]);
    expect((await api.post(verifyPath(team, domain), team.owner.token)).status).toBe(200);
  });

  it('answers 503 with Retry-After when the lookup itself fails, and changes nothing', async () => {
    const team = await createTeam(api);
    const domain = newDomain();
    const record = await claim(api, team, domain);
    for (const failure of ['servfail', 'timeout']) {
      await publish(api, record.name, [], failure);
      const response = await api.post(verifyPath(team, domain), team.owner.token);
      expect([response.status, response.body.code]).toEqual([503, 'DNS_LOOKUP_FAILED']);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect((await api.get(domainPath(team, domain), team.owner.token)).body.data.status).toBe('pending');
    // The domain's name servers failing is no fault of the service: a warning, never an error line.
    const logs = await capturedLogs(async () => {
      await api.post(verifyPath(team, domain), team.owner.token);
    });
    expect(logs).toContain('Dependency unavailable');
    expect(logs).not.toContain('"level":"ERROR"');
  });

  it('lets exactly one of 20 workspaces verifying the same domain at once win', async () => {
    const domain = newDomain('race');
    const teams = await Promise.all(
      Array.from({ length: 20 }, (_, index) => createTeam(api, `Team ${index}`)),
    );
    const records = [];
    for (const team of teams) records.push(await claim(api, team, domain));
    await publish(
      api,
      `_switchboard-challenge.${domain}`,
      records.map((record) => record.value),
    );
    const answers = await Promise.all(
      teams.map((team) => api.post(verifyPath(team, domain), team.owner.token)),
    );
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.body.code)).toEqual(
      Array(19).fill('DOMAIN_TAKEN'),
    );
    const statuses = await Promise.all(
      teams.map(async (team) => (await api.get(domainPath(team, domain), team.owner.token)).body.data.status),
    );
    expect(statuses.filter((status) => status === 'verified')).toHaveLength(1);
  });

  it('refuses a claim past its 7 days, whatever the stored status, and lets a new claim replace it', async () => {
    const team = await createTeam(api);
    const domain = newDomain();
    const record = await claim(api, team, domain);
    await publish(api, record.name, [record.value]);
    const eightDaysOn = new Date(Date.now() + 8 * 24 * hourMs);
    // Before the job runs, the API already says expired (the stored status is still pending).
    await api.documents.send(
      new UpdateCommand({
        TableName: api.tableName,
        Key: { PK: `WS#${team.workspaceId}`, SK: `DOMAIN#${domain}` },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    const shown = await api.get(domainPath(team, domain), team.owner.token);
    expect(shown.body.data).toMatchObject({ status: 'expired', expiresAt: null });
    const refused = await api.post(verifyPath(team, domain), team.owner.token);
    expect([refused.status, refused.body.code]).toEqual([409, 'DOMAIN_CLAIM_EXPIRED']);
    const summary = await recheck(api, eightDaysOn);
    expect(summary.expired).toBeGreaterThanOrEqual(1);
    const again = await claim(api, team, domain);
    expect(again.value).not.toBe(record.value);
  });
});

/** A team with a verified domain, and a person at it. */
async function joinableTeam(options: { policy?: string; includeSubdomains?: boolean } = {}) {
  const team = await createTeam(api);
  const { domain } = await verifiedDomain(api, team);
  if (options.policy || options.includeSubdomains !== undefined) {
    const patched = await api.patch(domainPath(team, domain), team.owner.token, {
      ...(options.policy ? { joinPolicy: options.policy } : {}),
      ...(options.includeSubdomains !== undefined ? { includeSubdomains: options.includeSubdomains } : {}),
    });
    expect(patched.status).toBe(200);
  }
  return { team, domain };
}

describe('joining through a verified domain', () => {
  it('lists the workspace to a verified address at the domain, and joins as a Member', async () => {
    const { team, domain } = await joinableTeam();
    const colleague = await api.user({ email: `grace@${domain}`, name: 'Grace Hopper' });
    const joinable = await api.get('/v1/me/joinable-workspaces', colleague.token);
    expect(joinable.body).toEqual({
      data: [{ id: team.workspaceId, name: 'Acme', memberCount: 3, domain, joinPolicy: 'automatic' }],
      nextCursor: null,
    });
    const joined = await joinAs(api, team.workspaceId, colleague.token);
    expect(joined.status).toBe(201);
    expect(joined.body.data).toMatchObject({
      userId: colleague.userId,
      email: `grace@${domain}`,
      role: 'member',
      phoneNumbers: [],
      pendingNumberChoice: true,
    });
    const workspace = await api.get(`/v1/workspaces/${team.workspaceId}`, colleague.token);
    expect(workspace.body.data.memberCount).toBe(4);
    // A member is not offered the workspace again, and cannot join twice.
    expect((await api.get('/v1/me/joinable-workspaces', colleague.token)).body.data).toEqual([]);
    const twice = await joinAs(api, team.workspaceId, colleague.token);
    expect([twice.status, twice.body.code]).toEqual([409, 'ALREADY_MEMBER']);
    const [event] = await auditLog(api, team.workspaceId, team.owner.token, 'action=member.joined');
    expect(event).toMatchObject({
      actor: { userId: colleague.userId },
      target: { type: 'member', id: colleague.userId },
      after: { role: 'member', method: 'domain', domain },
    });
  });

  it('refuses an unverified address (403), another domain (404), and reveals nothing', async () => {
    const { team, domain } = await joinableTeam();
    const unverified = await api.user({ email: `eve@${domain}`, emailVerified: false });
    const listed = await api.get('/v1/me/joinable-workspaces', unverified.token);
    expect([listed.status, listed.body.code]).toEqual([403, 'EMAIL_NOT_VERIFIED']);
    const refused = await joinAs(api, team.workspaceId, unverified.token);
    expect([refused.status, refused.body.code]).toEqual([403, 'EMAIL_NOT_VERIFIED']);

    const stranger = await api.user({ email: `mallory@${newDomain('elsewhere')}` });
    const notFound = await joinAs(api, team.workspaceId, stranger.token);
    expect([notFound.status, notFound.body.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
    const unknown = await joinAs(api, 'WS00000000000000000000000000', stranger.token);
    expect(unknown.body).toMatchObject({ code: 'WORKSPACE_NOT_FOUND', message: notFound.body.message });
    const gmail = await api.user({ email: 'someone@gmail.com' });
    expect((await api.get('/v1/me/joinable-workspaces', gmail.token)).body.data).toEqual([]);
    expect((await joinAs(api, team.workspaceId, gmail.token)).status).toBe(404);
  });

  it('matches a subdomain only with includeSubdomains', async () => {
    const { team, domain } = await joinableTeam();
    const sub = await api.user({ email: `lin@eu.${domain}` });
    expect((await api.get('/v1/me/joinable-workspaces', sub.token)).body.data).toEqual([]);
    expect((await joinAs(api, team.workspaceId, sub.token)).status).toBe(404);
    await api.patch(domainPath(team, domain), team.owner.token, { includeSubdomains: true });
    const listed = await api.get('/v1/me/joinable-workspaces', sub.token);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: team.workspaceId, domain })]);
    expect((await joinAs(api, team.workspaceId, sub.token)).status).toBe(201);
  });

  it('gives one membership to 20 parallel joins by one person', async () => {
    const { team, domain } = await joinableTeam();
    const person = await api.user({ email: `rush@${domain}` });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => joinAs(api, team.workspaceId, person.token)),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    for (const answer of answers.filter((candidate) => candidate.status !== 201)) {
      expect([answer.status, answer.body.code]).toEqual([409, 'ALREADY_MEMBER']);
    }
    const workspace = await api.get(`/v1/workspaces/${team.workspaceId}`, team.owner.token);
    expect(workspace.body.data.memberCount).toBe(4);
    const members = await api.get(`/v1/workspaces/${team.workspaceId}/members?limit=100`, team.owner.token);
    expect(
      members.body.data.filter((member: { userId: string }) => member.userId === person.userId),
    ).toHaveLength(1);
  });

  it('lets an invited person use either path, once', async () => {
    const { team, domain } = await joinableTeam();
    const invite = async (email: string, role: string) => {
      const invited = await api.post(`/v1/workspaces/${team.workspaceId}/invitations`, team.owner.token, {
        emails: [email],
        role,
        phoneAssignment: { mode: 'new' },
      });
      expect(invited.status).toBe(201);
      return invited.body.data[0].id as string;
    };
    // Invited as a member: joining through the domain gives the same, and uses the invitation up.
    const email = `invited@${domain}`;
    const invitationId = await invite(email, 'member');
    const person = await api.user({ email });
    expect((await joinAs(api, team.workspaceId, person.token)).status).toBe(201);
    const accept = await api.post('/v1/invitations/accept', person.token, {
      workspaceId: team.workspaceId,
      invitationId,
    });
    expect([accept.status, accept.body.code]).toEqual([409, 'INVITATION_NOT_PENDING']);
    const pending = await api.get(
      `/v1/workspaces/${team.workspaceId}/invitations?status=pending`,
      team.owner.token,
    );
    expect(pending.body.data).toEqual([]);
    const [used] = await auditLog(api, team.workspaceId, team.owner.token, 'action=invitation.accepted');
    expect(used).toMatchObject({
      target: { id: invitationId },
      after: { userId: person.userId, via: 'domain' },
    });

    // Invited as an admin: the domain would give less, so the join points to the invitation; accepting works once.
    const admin = `future-admin@${domain}`;
    const adminInvitation = await invite(admin, 'admin');
    const adminPerson = await api.user({ email: admin });
    const refused = await joinAs(api, team.workspaceId, adminPerson.token);
    expect([refused.status, refused.body.code]).toEqual([409, 'INVITATION_PENDING']);
    const accepted = await api.post('/v1/invitations/accept', adminPerson.token, {
      workspaceId: team.workspaceId,
      invitationId: adminInvitation,
    });
    expect([accepted.status, accepted.body.data.member.role]).toEqual([200, 'admin']);
    const join = await joinAs(api, team.workspaceId, adminPerson.token);
    expect([join.status, join.body.code]).toEqual([409, 'ALREADY_MEMBER']);
    const workspace = await api.get(`/v1/workspaces/${team.workspaceId}`, team.owner.token);
    expect(workspace.body.data.memberCount).toBe(5);
  });

  it('lets the most specific domain decide: off on a subdomain is not bypassed through its parent', async () => {
    const team = await createTeam(api);
    const { domain } = await verifiedDomain(api, team);
    await api.patch(domainPath(team, domain), team.owner.token, { includeSubdomains: true });
    const { domain: sub } = await verifiedDomain(api, team, `eu.${domain}`);
    await api.patch(domainPath(team, sub), team.owner.token, { joinPolicy: 'off' });
    const person = await api.user({ email: `anna@${sub}` });
    expect((await api.get('/v1/me/joinable-workspaces', person.token)).body.data).toEqual([]);
    expect((await joinAs(api, team.workspaceId, person.token)).status).toBe(404);
    const parentPerson = await api.user({ email: `bo@${domain}` });
    expect((await joinAs(api, team.workspaceId, parentPerson.token)).status).toBe(201);
  });

  it('with approval: a request, listed, approved into a Member; another declined; the requester sees both', async () => {
    const { team, domain } = await joinableTeam({ policy: 'approval' });
    const asker = await api.user({ email: `ask@${domain}`, name: 'Ada Asker' });
    const listed = await api.get('/v1/me/joinable-workspaces', asker.token);
    expect(listed.body.data[0].joinPolicy).toBe('approval');
    const requested = await joinAs(api, team.workspaceId, asker.token);
    expect(requested.status).toBe(202);
    expect(requested.body.data).toMatchObject({
      workspaceId: team.workspaceId,
      userId: asker.userId,
      email: `ask@${domain}`,
      name: 'Ada Asker',
      domain,
      status: 'pending',
      decidedAt: null,
      decidedBy: null,
    });
    const again = await joinAs(api, team.workspaceId, asker.token);
    expect([again.status, again.body.code]).toEqual([409, 'JOIN_REQUEST_PENDING']);
    const memberView = await api.get(
      pathTo(routes.listJoinRequests, { workspaceId: team.workspaceId }),
      team.member.token,
    );
    expect(memberView.status).toBe(403);

    const other = await api.user({ email: `other@${domain}` });
    expect((await joinAs(api, team.workspaceId, other.token)).status).toBe(202);
    const pending = await api.get(
      `${pathTo(routes.listJoinRequests, { workspaceId: team.workspaceId })}?status=pending`,
      team.admin.token,
    );
    expect(pending.body.data.map((request: { userId: string }) => request.userId)).toEqual([
      other.userId,
      asker.userId,
    ]);

    const approve = pathTo(routes.approveJoinRequest, {
      workspaceId: team.workspaceId,
      userId: asker.userId,
    });
    const approved = await api.post(approve, team.admin.token);
    expect(approved.status).toBe(201);
    expect(approved.body.data).toMatchObject({
      userId: asker.userId,
      role: 'member',
      pendingNumberChoice: true,
    });
    const twice = await api.post(approve, team.admin.token);
    expect([twice.status, twice.body.code]).toEqual([409, 'JOIN_REQUEST_NOT_PENDING']);

    const decline = pathTo(routes.declineJoinRequest, {
      workspaceId: team.workspaceId,
      userId: other.userId,
    });
    const declined = await api.post(decline, team.owner.token);
    expect(declined.status).toBe(200);
    expect(declined.body.data).toMatchObject({
      status: 'declined',
      decidedBy: { userId: team.owner.userId },
    });
    expect((await api.get(`/v1/workspaces/${team.workspaceId}`, other.token)).status).toBe(404);

    const mine = await api.get('/v1/me/join-requests', asker.token);
    expect(mine.body.data).toEqual([
      expect.objectContaining({ workspaceId: team.workspaceId, status: 'approved' }),
    ]);
    const theirs = await api.get('/v1/me/join-requests', other.token);
    expect(theirs.body.data).toEqual([expect.objectContaining({ status: 'declined' })]);
    const unknown = pathTo(routes.approveJoinRequest, {
      workspaceId: team.workspaceId,
      userId: team.outsider.userId,
    });
    expect((await api.post(unknown, team.owner.token)).body.code).toBe('JOIN_REQUEST_NOT_FOUND');

    const actions = (await auditLog(api, team.workspaceId, team.owner.token)).map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'joinRequest.created',
        'joinRequest.approved',
        'joinRequest.declined',
        'member.joined',
      ]),
    );
  });

  it('with off: the domain stays verified, nobody joins, and it can be turned back on', async () => {
    const { team, domain } = await joinableTeam({ policy: 'off' });
    const person = await api.user({ email: `late@${domain}` });
    expect((await api.get('/v1/me/joinable-workspaces', person.token)).body.data).toEqual([]);
    expect((await joinAs(api, team.workspaceId, person.token)).status).toBe(404);
    expect((await api.get(domainPath(team, domain), team.owner.token)).body.data.status).toBe('verified');
    await api.patch(domainPath(team, domain), team.owner.token, { joinPolicy: 'automatic' });
    expect((await joinAs(api, team.workspaceId, person.token)).status).toBe(201);
  });

  it('refuses to join an inactive workspace (409), and does not offer it', async () => {
    const { team, domain } = await joinableTeam();
    await setWorkspaceStatus(api, team.workspaceId, 'suspended');
    const person = await api.user({ email: `too-late@${domain}` });
    const refused = await joinAs(api, team.workspaceId, person.token);
    expect([refused.status, refused.body.code]).toEqual([409, 'WORKSPACE_INACTIVE']);
    expect((await api.get('/v1/me/joinable-workspaces', person.token)).body.data).toEqual([]);
  });
});

describe('changing and removing a domain', () => {
  it('PATCH changes the policy and the subdomain switch (audited); an empty PATCH is 400', async () => {
    const { team, domain } = await joinableTeam();
    const empty = await api.patch(domainPath(team, domain), team.owner.token, {});
    expect([empty.status, empty.body.code]).toEqual([400, 'EMPTY_UPDATE']);
    const patched = await api.patch(domainPath(team, domain), team.admin.token, {
      joinPolicy: 'approval',
      includeSubdomains: true,
    });
    expect(patched.body.data).toMatchObject({
      joinPolicy: 'approval',
      includeSubdomains: true,
      status: 'verified',
    });
    const [event] = await auditLog(api, team.workspaceId, team.owner.token, 'action=domain.updated');
    expect(event).toMatchObject({
      before: { joinPolicy: 'automatic', includeSubdomains: false },
      after: { joinPolicy: 'approval', includeSubdomains: true },
    });
  });

  it('DELETE ends joining through it (members stay), declines pending requests, and frees it', async () => {
    const { team, domain } = await joinableTeam({ policy: 'approval' });
    const asker = await api.user({ email: `asker@${domain}` });
    expect((await joinAs(api, team.workspaceId, asker.token)).status).toBe(202);
    const member = await api.user({ email: `in@${domain}` });
    await api.patch(domainPath(team, domain), team.owner.token, { joinPolicy: 'automatic' });
    expect((await joinAs(api, team.workspaceId, member.token)).status).toBe(201);

    const removed = await api.del(domainPath(team, domain), team.owner.token);
    expect(removed.status).toBe(204);
    expect((await api.get(domainPath(team, domain), team.owner.token)).status).toBe(404);
    expect((await api.get(`/v1/workspaces/${team.workspaceId}`, member.token)).status).toBe(200);
    const newcomer = await api.user({ email: `new@${domain}` });
    expect((await joinAs(api, team.workspaceId, newcomer.token)).status).toBe(404);
    const mine = await api.get('/v1/me/join-requests', asker.token);
    expect(mine.body.data[0].status).toBe('declined');

    // Free for another workspace now.
    const next = await createTeam(api, 'Next');
    await verifiedDomain(api, next, domain);
    const [event] = await auditLog(api, team.workspaceId, team.owner.token, 'action=domain.removed');
    expect(event).toMatchObject({ before: { status: 'verified' }, after: null });
  });
});

describe('the daily check: the claim is a lease', () => {
  it('keeps a missing record verified within the grace, lapses it after (emailing Owners and Admins), restores it when back', async () => {
    const { team, domain } = await joinableTeam();
    const record = (await api.get(domainPath(team, domain), team.owner.token)).body.data.record;
    const verifiedAt = Date.parse(
      (await api.get(domainPath(team, domain), team.owner.token)).body.data.lastSeenAt,
    );

    const seen = await recheck(api, new Date(verifiedAt + hourMs));
    expect(seen.seen).toBeGreaterThanOrEqual(1);
    const afterSeen = (await api.get(domainPath(team, domain), team.owner.token)).body.data;
    expect(afterSeen.lastCheckedAt).toBe(new Date(verifiedAt + hourMs).toISOString());
    expect(afterSeen.lastSeenAt).toBe(afterSeen.lastCheckedAt);

    await publish(api, record.name, []);
    const lastSeen = Date.parse(afterSeen.lastSeenAt);
    await recheck(api, new Date(lastSeen + 71 * hourMs));
    const within = (await api.get(domainPath(team, domain), team.owner.token)).body.data;
    expect(within).toMatchObject({ status: 'verified', lastSeenAt: afterSeen.lastSeenAt });
    expect(within.lastCheckedAt).toBe(new Date(lastSeen + 71 * hourMs).toISOString());

    const lapseTime = new Date(lastSeen + 73 * hourMs);
    const lapsed = await recheck(api, lapseTime);
    expect(lapsed.lapsed).toBeGreaterThanOrEqual(1);
    expect((await api.get(domainPath(team, domain), team.owner.token)).body.data.status).toBe('lapsed');
    // Run again as of the same instant: nothing changes twice, no second email.
    await recheck(api, lapseTime);
    for (const person of [team.owner, team.admin]) {
      const emails = await emailsTo(api, person.email);
      const lapseEmails = emails.filter((email) => email.subject.includes(`${domain} is no longer verified`));
      expect(lapseEmails).toHaveLength(1);
      expect(lapseEmails[0]?.body.text).toContain(record.value);
      expect(lapseEmails[0]?.body.html).toContain(record.name);
    }
    expect((await emailsTo(api, team.member.email)).some((email) => email.subject.includes(domain))).toBe(
      false,
    );
    const events = await auditLog(api, team.workspaceId, team.owner.token, 'action=domain.lapsed');
    expect(events).toHaveLength(1);
    expect(events[0]?.actor.userId).toBe('system:domain-check');

    const person = await api.user({ email: `blocked@${domain}` });
    expect((await joinAs(api, team.workspaceId, person.token)).status).toBe(404);
    expect((await api.get('/v1/me/joinable-workspaces', person.token)).body.data).toEqual([]);

    await publish(api, record.name, [record.value]);
    const restored = await recheck(api, new Date(lapseTime.getTime() + hourMs));
    expect(restored.restored).toBeGreaterThanOrEqual(1);
    expect((await api.get(domainPath(team, domain), team.owner.token)).body.data.status).toBe('verified');
    expect((await joinAs(api, team.workspaceId, person.token)).status).toBe(201);
    expect(await auditLog(api, team.workspaceId, team.owner.token, 'action=domain.restored')).toHaveLength(1);
  });

  it('an explicit verify restores a lapsed domain; a lapsed domain gives way to another workspace', async () => {
    const { team, domain } = await joinableTeam();
    const record = (await api.get(domainPath(team, domain), team.owner.token)).body.data.record;
    await publish(api, record.name, []);
    await recheck(api, new Date(Date.now() + 100 * hourMs));
    expect((await api.get(domainPath(team, domain), team.owner.token)).body.data.status).toBe('lapsed');
    await publish(api, record.name, [record.value]);
    const firstVerifiedAt = (await api.get(domainPath(team, domain), team.owner.token)).body.data.verifiedAt;
    const restored = await api.post(verifyPath(team, domain), team.owner.token);
    expect(restored.body.data.status).toBe('verified');
    // When it was first verified stays; lastSeenAt says when the record was seen again.
    expect(restored.body.data.verifiedAt).toBe(firstVerifiedAt);
    expect(Date.parse(restored.body.data.lastSeenAt)).toBeGreaterThan(Date.parse(firstVerifiedAt));
    expect(await auditLog(api, team.workspaceId, team.owner.token, 'action=domain.restored')).toHaveLength(1);

    await publish(api, record.name, []);
    await recheck(api, new Date(Date.now() + 200 * hourMs));
    const rival = await createTeam(api, 'Rival');
    await verifiedDomain(api, rival, domain);
    expect((await api.get(domainPath(team, domain), team.owner.token)).status).toBe(404);
    const [removal] = await auditLog(api, team.workspaceId, team.owner.token, 'action=domain.removed');
    expect(removal).toMatchObject({
      actor: { userId: 'system:domain-check' },
      after: { reason: 'verifiedElsewhere' },
    });
    expect(JSON.stringify(removal)).not.toContain(rival.workspaceId);
  });

  it('expires pending claims past 7 days, once', async () => {
    const team = await createTeam(api);
    const domain = newDomain();
    await claim(api, team, domain);
    await recheck(api, new Date(Date.now() + 6 * 24 * hourMs));
    expect((await api.get(domainPath(team, domain), team.owner.token)).body.data.status).toBe('pending');
    await recheck(api, new Date(Date.now() + 8 * 24 * hourMs));
    await recheck(api, new Date(Date.now() + 8 * 24 * hourMs));
    const expired = (await api.get(domainPath(team, domain), team.owner.token)).body.data;
    expect(expired).toMatchObject({ status: 'expired', expiresAt: null });
  });

  it('does not lapse a domain whose lookup fails (the name servers could not tell)', async () => {
    const { team, domain } = await joinableTeam();
    const record = (await api.get(domainPath(team, domain), team.owner.token)).body.data.record;
    await publish(api, record.name, [], 'servfail');
    const summary = await recheck(api, new Date(Date.now() + 100 * hourMs));
    expect(summary.lookupsFailed).toBeGreaterThanOrEqual(1);
    expect((await api.get(domainPath(team, domain), team.owner.token)).body.data.status).toBe('verified');
  });

  it('validates the dev routes’ input', async () => {
    const bad = await api.post('/dev/jobs/recheck-domains', undefined, { now: 'yesterday' });
    expect(bad.status).toBe(400);
    const badTxt = await api.request('PUT', '/dev/dns/txt', { body: { name: '', values: 'x' } });
    expect(badTxt.status).toBe(400);
  });
});
