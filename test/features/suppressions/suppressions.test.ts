import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SesEvent } from '../../../shared/email/events';
import { routes } from '../../../shared/routes';
import { startTestApi, type TestApi } from '../../support/api';
import { auditLog, requestIdOf } from '../../support/audit';
import { deliveryOf } from '../../support/delivery';
import { emailsTo } from '../../support/mailbox';
import { messageIdOf, outboxItem } from '../../support/outbox';
import { invitationsPath, pathTo } from '../../support/paths';
import { createTeam, type Team } from '../../support/seed';

let api: TestApi;
let applyEmailEvent: (event: SesEvent) => Promise<void>;

beforeAll(async () => {
  api = await startTestApi();
  ({ applyEmailEvent } = await import('../../../shared/email/events'));
});
afterAll(async () => {
  await api?.stop();
});

const newAddress = (label = 'guest') => `${label}-${randomBytes(4).toString('hex')}@feedback.test`;
const suppressionsPath = (team: Team) =>
  pathTo(routes.listSuppressedAddresses, { workspaceId: team.workspaceId });
const suppressionPath = (team: Team, email: string) =>
  pathTo(routes.clearSuppressedAddress, { workspaceId: team.workspaceId, email });

async function invite(team: Team, emails: string[]) {
  return api.post(invitationsPath(team), team.owner.token, {
    emails,
    role: 'member',
    phoneAssignment: { mode: 'new' },
  });
}

/** An invitation whose email went out. */
async function sentInvitation(team: Team, email = newAddress()) {
  const response = await invite(team, [email]);
  expect(response.status).toBe(201);
  expect(await emailsTo(api, email)).toHaveLength(1);
  return { id: response.body.data[0].id as string, email };
}

const feedback = (type: string, email: string) => api.post('/dev/ses/events', undefined, { type, email });

describe('SES feedback', () => {
  it('marks a delivered email delivered; a late Send event does not undo it', async () => {
    const team = await createTeam(api);
    const { id, email } = await sentInvitation(team);
    const simulated = await feedback('delivery', email);
    expect(simulated.status).toBe(200);
    const messageId = await messageIdOf(api, team.workspaceId, id);
    expect(simulated.body.data).toEqual({ messageId, type: 'delivery' });
    expect(await deliveryOf(api, team, id)).toEqual({ status: 'delivered', reason: null, attempts: 1 });
    await applyEmailEvent({ eventType: 'Send', mail: { tags: { messageId: [messageId] } } });
    expect(await deliveryOf(api, team, id)).toEqual({ status: 'delivered', reason: null, attempts: 1 });
    expect((await outboxItem(api, messageId))?.state).toBe('delivered');
  });

  it('turns a hard bounce into a bounced invitation and a suppressed address; later invitations are refused per address', async () => {
    const team = await createTeam(api);
    const { id, email } = await sentInvitation(team, newAddress('dead'));
    expect((await feedback('bounce', email)).status).toBe(200);
    expect(await deliveryOf(api, team, id)).toEqual({
      status: 'bounced',
      reason: 'The address does not accept email: it bounced. Check it, then invite it again.',
      attempts: 1,
    });
    const listed = await api.get(suppressionsPath(team), team.admin.token);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      data: [{ email, reason: 'bounce', suppressedAt: expect.any(String) }],
      nextCursor: null,
    });

    // Invited again with another address, while the bounced invitation still holds it: refused for it alone.
    const fine = newAddress('fine');
    const again = await invite(team, [email.toUpperCase(), fine]);
    expect(again.status).toBe(201);
    expect(again.body.data.map((invitation: { email: string }) => invitation.email)).toEqual([fine]);
    expect(again.body.errors).toEqual([
      {
        email,
        code: 'ADDRESS_SUPPRESSED',
        message: expect.stringMatching(/bounced or were reported as spam/),
      },
    ]);
    // Alone, it is the request's answer, with the address's own code; after a revoke, the same.
    expect((await api.del(`${invitationsPath(team)}/${id}`, team.owner.token)).status).toBe(204);
    const alone = await invite(team, [email]);
    expect(alone.status).toBe(409);
    expect(alone.body).toMatchObject({
      code: 'NOTHING_TO_INVITE',
      errors: [{ path: 'emails.0', code: 'ADDRESS_SUPPRESSED' }],
    });
    expect(await emailsTo(api, email)).toHaveLength(1);
  });

  it('turns a complaint into a complained invitation, and refuses to resend it', async () => {
    const team = await createTeam(api);
    const { id, email } = await sentInvitation(team);
    expect((await feedback('complaint', email)).status).toBe(200);
    expect(await deliveryOf(api, team, id)).toEqual({
      status: 'complained',
      reason: 'The recipient reported the email as spam.',
      attempts: 1,
    });
    const list = await api.get(suppressionsPath(team), team.owner.token);
    expect(list.body.data).toEqual([{ email, reason: 'complaint', suppressedAt: expect.any(String) }]);
    const resend = await api.post(`${invitationsPath(team)}/${id}/resend`, team.owner.token);
    expect(resend.status).toBe(409);
    expect(resend.body.code).toBe('ADDRESS_SUPPRESSED');
    expect(await deliveryOf(api, team, id)).toMatchObject({ status: 'complained', attempts: 1 });
    expect(await emailsTo(api, email)).toHaveLength(1);
  });

  it('ignores a soft bounce, and keeps the first reason through repeated and parallel events', async () => {
    const team = await createTeam(api);
    const { id, email } = await sentInvitation(team);
    const messageId = await messageIdOf(api, team.workspaceId, id);
    const mail = { tags: { messageId: [messageId] } };
    await applyEmailEvent({
      eventType: 'Bounce',
      mail,
      bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: email }] },
    });
    expect(await deliveryOf(api, team, id)).toMatchObject({ status: 'sent' });
    const bounce: SesEvent = {
      eventType: 'Bounce',
      mail,
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: email }] },
    };
    await Promise.all(Array.from({ length: 5 }, () => applyEmailEvent(bounce)));
    await applyEmailEvent({
      eventType: 'Complaint',
      mail,
      complaint: { complainedRecipients: [{ emailAddress: email }] },
    });
    const list = await api.get(suppressionsPath(team), team.owner.token);
    expect(list.body.data).toEqual([{ email, reason: 'bounce', suppressedAt: expect.any(String) }]);
    // A complaint after a bounce is news for the delivery all the same.
    expect(await deliveryOf(api, team, id)).toMatchObject({ status: 'complained' });
    // Events about messages this table does not hold (another stack's, expired) change nothing.
    await applyEmailEvent({
      eventType: 'Delivery',
      mail: { tags: { messageId: ['EM00000000000000000000000000'] } },
    });
    await applyEmailEvent({ eventType: 'Delivery', mail: {} });
  });

  it('refuses a simulated event it cannot place, in the contract’s error body', async () => {
    const unknownAddress = await feedback('bounce', newAddress('never-emailed'));
    expect(unknownAddress.status).toBe(400);
    expect(unknownAddress.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'email' }] });
    for (const body of [
      { type: 'explode', email: newAddress() },
      { type: 'bounce' },
      { type: 'bounce', email: 'x', extra: 1 },
    ]) {
      const refused = await api.post('/dev/ses/events', undefined, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
    }
    const notJson = await api.request('POST', '/dev/ses/events', {
      rawBody: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe('INVALID_JSON');
  });
});

describe('the suppressed addresses', () => {
  it('lets an owner or admin clear an address, audited; the next invitation to it is sent', async () => {
    const team = await createTeam(api);
    const { id, email } = await sentInvitation(team);
    await feedback('bounce', email);
    await api.del(`${invitationsPath(team)}/${id}`, team.owner.token);

    const forbidden = await api.del(suppressionPath(team, email), team.member.token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('ROLE_FORBIDDEN');
    expect((await api.get(suppressionsPath(team), team.member.token)).status).toBe(403);

    const cleared = await api.del(suppressionPath(team, email.toUpperCase()), team.admin.token);
    expect(cleared.status).toBe(204);
    const [event] = await auditLog(api, team.workspaceId, team.owner.token, 'action=suppression.cleared');
    expect(event).toMatchObject({
      actor: { userId: team.admin.userId },
      action: 'suppression.cleared',
      target: { type: 'emailAddress', id: email },
      before: { reason: 'bounce', suppressedAt: expect.any(String) },
      after: null,
      requestId: requestIdOf(cleared),
    });
    expect((await api.get(suppressionsPath(team), team.owner.token)).body.data).toEqual([]);
    const again = await api.del(suppressionPath(team, email), team.admin.token);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('SUPPRESSED_ADDRESS_NOT_FOUND');

    expect((await invite(team, [email])).status).toBe(201);
    expect(await emailsTo(api, email)).toHaveLength(2);
  });

  it('clears once under ten parallel requests: one 204 and one audit event', async () => {
    const team = await createTeam(api, 'Acme', { withSuppression: true });
    const email = team.suppressedEmail as string;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        api.del(suppressionPath(team, email), (index % 2 ? team.owner : team.admin).token),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    expect(new Set(statuses.filter((status) => status !== 204))).toEqual(new Set([404]));
    expect(
      await auditLog(api, team.workspaceId, team.owner.token, 'action=suppression.cleared'),
    ).toHaveLength(1);
  });

  it('pages through the list in address order, and knows no other workspace’s addresses', async () => {
    const team = await createTeam(api);
    const addresses = await Promise.all(
      Array.from(
        { length: 3 },
        async (_, index) => (await sentInvitation(team, newAddress(`page${index}`))).email,
      ),
    );
    for (const email of addresses) await feedback('bounce', email);
    const first = await api.get(`${suppressionsPath(team)}?limit=2`, team.owner.token);
    expect(first.body.data.map((entry: { email: string }) => entry.email)).toEqual(
      [...addresses].sort().slice(0, 2),
    );
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.get(
      `${suppressionsPath(team)}?limit=2&after=${encodeURIComponent(first.body.nextCursor)}`,
      team.owner.token,
    );
    expect(second.body).toEqual({
      data: [{ email: [...addresses].sort()[2], reason: 'bounce', suppressedAt: expect.any(String) }],
      nextCursor: null,
    });

    const other = await createTeam(api, 'Other');
    expect((await api.get(suppressionsPath(other), other.owner.token)).body.data).toEqual([]);
    // Another workspace's cursor, and its owner clearing this one's address: as if it did not exist.
    const foreignCursor = await api.get(
      `${suppressionsPath(other)}?after=${encodeURIComponent(first.body.nextCursor)}`,
      other.owner.token,
    );
    expect(foreignCursor.status).toBe(400);
    expect(foreignCursor.body.code).toBe('INVALID_CURSOR');
    const foreignClear = await api.del(suppressionPath(other, addresses[0] as string), other.owner.token);
    expect(foreignClear.status).toBe(404);
    expect(foreignClear.body.code).toBe('SUPPRESSED_ADDRESS_NOT_FOUND');
    const outsider = await api.del(suppressionPath(team, addresses[0] as string), other.owner.token);
    expect(outsider.status).toBe(404);
    expect(outsider.body.code).toBe('WORKSPACE_NOT_FOUND');
  });

  it('answers any generated address path and feedback body with a 4xx, never a 5xx, and changes nothing', async () => {
    const team = await createTeam(api, 'Acme', { withSuppression: true });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 300 }).filter((segment) => !['.', '..'].includes(segment)),
        async (segment) => {
          const response = await api.del(suppressionPath(team, segment), team.owner.token);
          expect([400, 404]).toContain(response.status);
        },
      ),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const response = await api.post('/dev/ses/events', undefined, body);
        expect(response.status).toBe(400);
      }),
      { numRuns: 40 },
    );
    const list = await api.get(suppressionsPath(team), team.owner.token);
    expect(list.body.data.map((entry: { email: string }) => entry.email)).toEqual([team.suppressedEmail]);
  });

  it('refuses a path that is no address, and queries the list does not take', async () => {
    const team = await createTeam(api);
    for (const bad of ['not-an-address', `${'a'.repeat(250)}@example.com`, 'a@b@c']) {
      const refused = await api.del(suppressionPath(team, bad), team.owner.token);
      expect(refused.status, bad).toBe(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
    }
    for (const query of ['limit=0', 'limit=abc', 'after=', 'email=x']) {
      const refused = await api.get(`${suppressionsPath(team)}?${query}`, team.owner.token);
      expect(refused.status, query).toBe(400);
    }
  });
});
