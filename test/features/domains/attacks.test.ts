import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
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
import { emailsTo } from '../../support/mailbox';
import { pathTo } from '../../support/paths';
import { createTeam } from '../../support/seed';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

describe('hostile input', () => {
  it('answers every generated claim body with a 4xx and claims nothing', async () => {
    const team = await createTeam(api);
    const email = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .tuple(fc.string({ maxLength: 64 }), fc.string({ maxLength: 80 }))
        .map(([local, host]) => `${local}@${host}`),
      fc.constantFrom(
        'a@xn--',
        'a@.',
        'a@-.com',
        'a@a.-b',
        'a@[::1]',
        `a@${'x'.repeat(64)}.com`,
        'a@\u0000.com',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          email.map((value) => ({ email: value })),
        ),
        async (body) => {
          const response = await api.post(domainsPath(team), team.owner.token, body);
          if (response.status === 201) {
            // A generated address that happens to be claimable: claimed, and removed again.
            expect(
              (await api.del(domainPath(team, response.body.data.domain), team.owner.token)).status,
            ).toBe(204);
            return;
          }
          expect(response.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
          expect(response.status, JSON.stringify(body)).toBeLessThan(500);
        },
      ),
      { numRuns: 120 },
    );
    expect((await api.get(domainsPath(team), team.owner.token)).body.data).toEqual([]);
  });

  it('refuses generated domain paths, PATCH bodies and join-request queries with a 4xx', async () => {
    const team = await createTeam(api);
    const { domain } = await verifiedDomain(api, team);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 300 }).filter((segment) => !['.', '..'].includes(segment)),
        async (segment) => {
          const response = await api.get(domainPath(team, segment), team.owner.token);
          expect([400, 404]).toContain(response.status);
        },
      ),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const response = await api.patch(domainPath(team, domain), team.owner.token, body);
        expect(response.status, JSON.stringify(body)).toBe(400);
      }),
      { numRuns: 40 },
    );
    for (const query of ['status=maybe', 'limit=0', 'after=x', 'domain=x']) {
      const response = await api.get(
        `${pathTo(routes.listJoinRequests, { workspaceId: team.workspaceId })}?${query}`,
        team.owner.token,
      );
      expect(response.status, query).toBe(400);
    }
    for (const query of ['limit=5', 'x=1']) {
      const response = await api.get(`/v1/me/joinable-workspaces?${query}`, team.owner.token);
      expect(response.status, query).toBe(400);
    }
    // The join takes no body: whatever is sent, the joiner is a Member.
    const joiner = await api.user({ email: `bold@${domain}` });
    const joined = await api.post(
      pathTo(routes.joinWorkspace, { workspaceId: team.workspaceId }),
      joiner.token,
      {
        role: 'owner',
      },
    );
    expect([joined.status, joined.body.data.role]).toEqual([201, 'member']);
    const claimed = (await api.get(domainPath(team, domain), team.owner.token)).body.data;
    expect(claimed).toMatchObject({ status: 'verified', joinPolicy: 'automatic', includeSubdomains: false });
  });

  it('refuses generated dev-route bodies with a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const dns = await api.request('PUT', '/dev/dns/txt', { body });
        expect(dns.status, JSON.stringify(body)).toBe(400);
      }),
      { numRuns: 40 },
    );
  });
});

describe('another workspace’s resources', () => {
  it('are not found: its domains, its join requests, and joining it without a matching address', async () => {
    const team = await createTeam(api);
    const { domain } = await verifiedDomain(api, team);
    const asker = await api.user({ email: `ask@${domain}` });
    await api.patch(domainPath(team, domain), team.owner.token, { joinPolicy: 'approval' });
    expect((await joinAs(api, team.workspaceId, asker.token)).status).toBe(202);

    const other = await createTeam(api, 'Other');
    const attempts = [
      api.get(domainPath(team, domain), other.owner.token),
      api.post(verifyPath(team, domain), other.owner.token),
      api.patch(domainPath(team, domain), other.owner.token, { joinPolicy: 'off' }),
      api.del(domainPath(team, domain), other.owner.token),
      api.get(pathTo(routes.listJoinRequests, { workspaceId: team.workspaceId }), other.owner.token),
      api.post(
        pathTo(routes.approveJoinRequest, { workspaceId: team.workspaceId, userId: asker.userId }),
        other.owner.token,
      ),
      api.post(
        pathTo(routes.declineJoinRequest, { workspaceId: team.workspaceId, userId: asker.userId }),
        other.owner.token,
      ),
      joinAs(api, team.workspaceId, other.owner.token),
    ];
    for (const response of await Promise.all(attempts)) {
      expect([response.status, response.body.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
    }
    // Its own paths with the first workspace's domain and requester: not found there either.
    expect((await api.get(domainPath(other, domain), other.owner.token)).body.code).toBe('DOMAIN_NOT_FOUND');
    const approve = pathTo(routes.approveJoinRequest, {
      workspaceId: other.workspaceId,
      userId: asker.userId,
    });
    expect((await api.post(approve, other.owner.token)).body.code).toBe('JOIN_REQUEST_NOT_FOUND');
    expect((await api.get(domainPath(team, domain), team.owner.token)).body.data.joinPolicy).toBe('approval');
  });

  it('give Members 403 on every manage route, whether or not the domain or request exists', async () => {
    const team = await createTeam(api);
    const { domain } = await verifiedDomain(api, team);
    const paths = [
      ['GET', domainPath(team, domain)],
      ['GET', domainPath(team, 'unclaimed.example')],
      ['POST', verifyPath(team, 'unclaimed.example')],
      ['DELETE', domainPath(team, 'unclaimed.example')],
      ['POST', pathTo(routes.approveJoinRequest, { workspaceId: team.workspaceId, userId: 'nobody' })],
      ['POST', pathTo(routes.declineJoinRequest, { workspaceId: team.workspaceId, userId: 'nobody' })],
    ] as const;
    for (const [method, path] of paths) {
      const response = await api.request(method, path, { token: team.member.token });
      expect([path, response.status, response.body.code]).toEqual([path, 403, 'ROLE_FORBIDDEN']);
    }
  });
});

describe('races', () => {
  it('an approval racing a decline of the same request ends in exactly one of them (20 rounds)', async () => {
    const team = await createTeam(api);
    const { domain } = await verifiedDomain(api, team);
    await api.patch(domainPath(team, domain), team.owner.token, { joinPolicy: 'approval' });
    for (let round = 0; round < 20; round++) {
      const person = await api.user({ email: `race-${round}@${domain}` });
      expect((await joinAs(api, team.workspaceId, person.token)).status).toBe(202);
      const parameters = { workspaceId: team.workspaceId, userId: person.userId };
      const [approved, declined] = await Promise.all([
        api.post(pathTo(routes.approveJoinRequest, parameters), team.owner.token),
        api.post(pathTo(routes.declineJoinRequest, parameters), team.admin.token),
      ]);
      const statuses = [approved.status, declined.status].sort();
      expect([
        [201, 409],
        [200, 409],
      ]).toContainEqual(statuses);
      const member = await api.get(
        `/v1/workspaces/${team.workspaceId}/members/${person.userId}`,
        team.owner.token,
      );
      const [request] = (await api.get('/v1/me/join-requests', person.token)).body.data;
      expect(request.status).toBe(member.status === 200 ? 'approved' : 'declined');
    }
    const workspace = await api.get(`/v1/workspaces/${team.workspaceId}`, team.owner.token);
    const members = await api.get(`/v1/workspaces/${team.workspaceId}/members?limit=100`, team.owner.token);
    expect(workspace.body.data.memberCount).toBe(members.body.data.length);
  });

  it('a join racing the domain’s removal either joins before it or is refused; nobody joins after', async () => {
    const team = await createTeam(api);
    const { domain } = await verifiedDomain(api, team);
    const people = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.user({ email: `p${i}@${domain}` })),
    );
    const [removed, ...joins] = await Promise.all([
      api.del(domainPath(team, domain), team.owner.token),
      ...people.map((person) => joinAs(api, team.workspaceId, person.token)),
    ]);
    expect(removed?.status).toBe(204);
    for (const join of joins) expect([201, 404, 409]).toContain(join.status);
    const late = await api.user({ email: `late@${domain}` });
    expect((await joinAs(api, team.workspaceId, late.token)).status).toBe(404);
    const workspace = await api.get(`/v1/workspaces/${team.workspaceId}`, team.owner.token);
    expect(workspace.body.data.memberCount).toBe(3 + joins.filter((join) => join.status === 201).length);
  });

  it('two daily checks at once lapse a domain once and email each owner and admin once', async () => {
    const team = await createTeam(api);
    const { domain, record } = await verifiedDomain(api, team);
    await publish(api, record.name, []);
    const later = new Date(Date.now() + 100 * hourMs);
    const [first, second] = await Promise.all([recheck(api, later), recheck(api, later)]);
    expect(Number(first?.lapsed) + Number(second?.lapsed)).toBeGreaterThanOrEqual(1);
    expect(await auditLog(api, team.workspaceId, team.owner.token, 'action=domain.lapsed')).toHaveLength(1);
    const lapseEmails = (await emailsTo(api, team.owner.email)).filter((email) =>
      email.subject.includes(domain),
    );
    expect(lapseEmails).toHaveLength(1);
  });

  it('a PATCH racing a verification leaves the holder item with the claim’s settings', async () => {
    for (let round = 0; round < 5; round++) {
      const team = await createTeam(api);
      const domain = newDomain('patch');
      const record = await claim(api, team, domain);
      await publish(api, record.name, [record.value]);
      const [verified, patched] = await Promise.all([
        api.post(verifyPath(team, domain), team.owner.token),
        api.patch(domainPath(team, domain), team.admin.token, { joinPolicy: 'off' }),
      ]);
      expect([200, 409]).toContain(verified.status);
      expect([200, 409]).toContain(patched.status);
      const current = (await api.get(domainPath(team, domain), team.owner.token)).body.data;
      const holder = await api.documents.send(
        new GetCommand({
          TableName: api.tableName,
          Key: { PK: `VERIFIED_DOMAIN#${domain}`, SK: 'HOLDER' },
        }),
      );
      if (current.status === 'verified') expect(holder.Item?.joinPolicy).toBe(current.joinPolicy);
      else expect(holder.Item).toBeUndefined();
    }
  });

  it('a removal racing a verification leaves no holder item behind it', async () => {
    for (let round = 0; round < 5; round++) {
      const team = await createTeam(api);
      const domain = newDomain('remove');
      const record = await claim(api, team, domain);
      await publish(api, record.name, [record.value]);
      const [verified, removed] = await Promise.all([
        api.post(verifyPath(team, domain), team.owner.token),
        api.del(domainPath(team, domain), team.admin.token),
      ]);
      expect([200, 409]).toContain(verified.status);
      expect([204, 409]).toContain(removed.status);
      const current = await api.get(domainPath(team, domain), team.owner.token);
      const holder = await api.documents.send(
        new GetCommand({
          TableName: api.tableName,
          Key: { PK: `VERIFIED_DOMAIN#${domain}`, SK: 'HOLDER' },
          ConsistentRead: true,
        }),
      );
      // Whichever won: a holder item only with a verified claim behind it.
      if (current.status === 404) expect(holder.Item).toBeUndefined();
      else expect(current.body.data.status === 'verified').toBe(holder.Item !== undefined);
    }
  });
});

describe('the daily check at scale', () => {
  it('a run that stops early leaves a checkpoint, and the next run goes on from it', async () => {
    const { domainClaimRecord } = await import('../../../shared/features/domains/items');
    const { recheckDomains } = await import('../../../shared/features/domains/recheck');
    const team = await createTeam(api);
    const now = new Date();
    const claims = Array.from({ length: 150 }, (_, i) =>
      domainClaimRecord({
        workspaceId: team.workspaceId,
        domain: newDomain(`bulk${i}`),
        status: 'verified',
        joinPolicy: 'automatic',
        includeSubdomains: false,
        token: `token-${i}`,
        claimedAt: now.toISOString(),
        claimedBy: { userId: team.owner.userId },
        expiresAt: now.toISOString(),
        verifiedAt: now.toISOString(),
        lastSeenAt: now.toISOString(),
        revision: 1,
      }),
    );
    for (let start = 0; start < claims.length; start += 25) {
      await api.documents.send(
        new BatchWriteCommand({
          RequestItems: {
            [api.tableName]: claims.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
    const later = new Date(now.getTime() + hourMs);
    const whole = await recheckDomains({ now: later });
    expect(whole.incomplete).toBe(false);
    let pages = 0;
    const first = await recheckDomains({ now: later, hasTimeLeft: () => pages++ < 1 });
    expect(first).toMatchObject({ incomplete: true, checked: 100 });
    const rest = await recheckDomains({ now: later });
    expect(rest.incomplete).toBe(false);
    expect(first.checked + rest.checked).toBe(whole.checked);
    // Done to the end: the checkpoint is gone, and the next run starts from the top again.
    expect((await recheckDomains({ now: later })).checked).toBe(whole.checked);
  });
});
