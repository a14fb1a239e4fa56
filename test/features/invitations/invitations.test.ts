import { createHash, randomBytes } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addressKey,
  idempotencyKey,
  invitationKey,
  invitationRateKey,
  invitationTokenKey,
  inviterRateKey,
  outboxKey,
  workspaceKey,
} from '../../../shared/db/keys';
import { startTestApi, type TestApi, type TestUser } from '../../support/api';
import { auditLog } from '../../support/audit';
import { backdateDelivery } from '../../support/delivery';
import { capturedLogs } from '../../support/logs';
import { emailsTo, invitationLink } from '../../support/mailbox';
import { addNumber, grant, numberPath } from '../../support/numbers';
import { invitationsPath, memberPath, workspacePath } from '../../support/paths';
import { createTeam, setWorkspaceStatus, type Team } from '../../support/seed';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

const newAddress = (label = 'guest') => `${label}-${randomBytes(4).toString('hex')}@acme.test`;
const newNumber = { mode: 'new' } as const;

async function invite(team: Team, by: TestUser, emails: string | string[], role = 'member') {
  return api.post(invitationsPath(team), by.token, { emails, role, phoneAssignment: newNumber });
}

/** Invites one address and returns the invitation and the token from its email. */
async function inviteOne(team: Team, email: string, role = 'member') {
  const response = await invite(team, team.owner, [email], role);
  expect(response.status).toBe(201);
  const [sent] = await emailsTo(api, email);
  if (!sent) throw new Error(`no email to ${email}`);
  return { invitation: response.body.data[0], token: invitationLink(sent).token };
}

const auditActions = async (team: Team) =>
  (await auditLog(api, team.workspaceId, team.owner.token)).map((event) => event.action);

describe('inviting', () => {
  it('invites the valid addresses, reports the others, and emails each invitee a working link', async () => {
    const team = await createTeam(api, 'Acme <Phones> & Co');
    const first = newAddress('Ann');
    const second = newAddress('bob');
    const response = await invite(
      team,
      team.owner,
      ` ${first.toUpperCase()}, ${second},not-an-address, ${team.member.email}, ${first}`,
      'admin',
    );
    expect(response.status).toBe(201);
    expect(response.body.data.map((invitation: { email: string }) => invitation.email)).toEqual([
      first.toLowerCase(),
      second,
    ]);
    expect(response.body.data[0]).toMatchObject({
      role: 'admin',
      status: 'pending',
      phoneAssignment: { mode: 'new' },
      invitedBy: { userId: team.owner.userId, name: 'Olivia Owner' },
      // Answered before any email goes: the mailer sends it from the queue.
      delivery: { status: 'queued', reason: null, attempts: 1 },
      acceptedAt: null,
      revokedAt: null,
    });
    expect(response.body.data[0].id).toMatch(/^IV[0-9A-Z]{26}$/);
    const validity =
      Date.parse(response.body.data[0].expiresAt) - Date.parse(response.body.data[0].createdAt);
    expect(validity).toBe(7 * 24 * 3600 * 1000);
    expect(response.body.errors).toEqual([
      { email: 'not-an-address', code: 'INVALID_EMAIL', message: expect.stringMatching(/not a valid email/) },
      {
        email: team.member.email,
        code: 'ALREADY_MEMBER',
        message: expect.stringMatching(/already a member/),
      },
    ]);

    const [email, ...others] = await emailsTo(api, first.toLowerCase());
    expect(others).toEqual([]);
    expect(await emailsTo(api, second)).toHaveLength(1);
    expect(await emailsTo(api, team.member.email)).toHaveLength(0);
    if (!email) throw new Error('no email');
    expect(email.from).toBe('invitations@switchboard.local');
    expect(email.subject).toBe('Olivia Owner invited you to Acme <Phones> & Co');
    expect(email.body.text).toContain(
      'Olivia Owner invited you to join Acme <Phones> & Co as an admin, to call and text',
    );
    expect(email.body.text).toMatch(/expires on \w+day, \w+ \d+, \d{4} at .+ UTC/);
    expect(email.body.html).toContain('Acme &lt;Phones&gt; &amp; Co');
    expect(email.body.html).not.toContain('<Phones>');
    // The onboarding steps: the account, the number to pick ("assign a new number"), the apps.
    expect(email.body.text).toContain(
      `1. Create your account, or sign in, with this address (${first.toLowerCase()}).`,
    );
    expect(email.body.text).toContain('2. Pick your phone number.');
    expect(email.body.text).toContain(
      `3. Download the apps for your computer and your phone: ${api.url}/download`,
    );
    expect(email.body.html).toContain(`<a href="${api.url}/download">`);
    expect(email.body.html).toContain('<li>Pick your phone number.</li>');
    const { link, token } = invitationLink(email);
    expect(link.startsWith(`${api.url}/join?token=`)).toBe(true);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);

    // The link leads to the invitation's preview, no sign-in needed.
    const opened = await fetch(link);
    expect(opened.url).toBe(`${api.url}/v1/invitations/${token}`);
    expect(await opened.json()).toEqual({
      data: {
        workspace: { name: 'Acme <Phones> & Co' },
        invitedBy: { name: 'Olivia Owner' },
        role: 'admin',
        email: `a***@acme.test`,
        status: 'pending',
        expiresAt: response.body.data[0].expiresAt,
      },
    });

    // The table keeps the token's hash only.
    const stored = await api.documents.send(
      new UpdateCommand({
        TableName: api.tableName,
        Key: invitationKey(team.workspaceId, response.body.data[0].id),
        UpdateExpression: 'SET probe = :probe',
        ExpressionAttributeValues: { ':probe': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(JSON.stringify(stored.Attributes)).not.toContain(token);
    // So does the outbox, whose message is sealed: neither the link nor the subject in clear.
    const outbox = await api.documents.send(
      new GetCommand({ TableName: api.tableName, Key: outboxKey(stored.Attributes?.delivery.messageId) }),
    );
    expect(outbox.Item).toMatchObject({ state: 'sent', to: first.toLowerCase(), sealed: expect.any(String) });
    expect(JSON.stringify(outbox.Item)).not.toContain(token);
    expect(JSON.stringify(outbox.Item)).not.toContain('Olivia Owner');
    // Sent: the invitation says so now.
    const pending = await api.get(`${invitationsPath(team)}?status=pending`, team.owner.token);
    expect(
      pending.body.data.find((invitation: { email: string }) => invitation.email === first.toLowerCase())
        .delivery,
    ).toEqual({ status: 'sent', reason: null, attempts: 1 });

    const invitee = await api.user({ email: first.toUpperCase(), name: 'Ann Invitee' });
    const accepted = await api.post('/v1/invitations/accept', invitee.token, { token });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data).toMatchObject({
      workspace: { id: team.workspaceId, name: 'Acme <Phones> & Co' },
      member: { userId: invitee.userId, role: 'admin', name: 'Ann Invitee', pendingNumberChoice: true },
    });

    const members = await api.get(`/v1/workspaces/${team.workspaceId}/members?role=admin`, team.owner.token);
    expect(members.body.data.map((member: { userId: string }) => member.userId)).toContain(invitee.userId);
    const workspace = await api.get(`/v1/workspaces/${team.workspaceId}`, invitee.token);
    expect(workspace.body.data.memberCount).toBe(4);
    expect(await auditActions(team)).toEqual(
      expect.arrayContaining(['invitation.created', 'invitation.accepted', 'member.joined']),
    );
    const joined = await api.get(
      `/v1/workspaces/${team.workspaceId}/audit-events?action=member.joined`,
      team.owner.token,
    );
    expect(joined.body.data).toEqual([
      expect.objectContaining({
        actor: { userId: invitee.userId, email: first.toLowerCase() },
        target: { type: 'member', id: invitee.userId },
        after: expect.objectContaining({ role: 'admin', invitedBy: team.owner.userId }),
      }),
    ]);

    const listed = await api.get(`${invitationsPath(team)}?status=accepted`, team.owner.token);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        email: first.toLowerCase(),
        status: 'accepted',
        acceptedAt: expect.any(String),
      }),
    ]);
    const preview = await api.get(`/v1/invitations/${token}`);
    expect(preview.body.data.status).toBe('accepted');
  });

  it('answers a batch with nothing to send: 400 when every address is invalid, 409 when any conflicts, each with its code', async () => {
    const team = await createTeam(api);
    const invalidOnly = await invite(team, team.owner, ['nope', 'also@', 'nope']);
    expect(invalidOnly.status).toBe(400);
    expect(invalidOnly.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'None of these is a valid email address.',
    });
    expect(invalidOnly.body.errors).toEqual([
      { path: 'emails.0', code: 'INVALID_EMAIL', message: 'nope: This is not a valid email address.' },
      { path: 'emails.1', code: 'INVALID_EMAIL', message: 'also@: This is not a valid email address.' },
    ]);

    const pending = newAddress();
    await inviteOne(team, pending);
    const conflictsOnly = await invite(team, team.owner, [team.member.email, pending]);
    expect(conflictsOnly.status).toBe(409);
    expect(conflictsOnly.body.code).toBe('NOTHING_TO_INVITE');
    expect(conflictsOnly.body.errors).toEqual([
      {
        path: 'emails.0',
        code: 'ALREADY_MEMBER',
        message: `${team.member.email}: ${'This person is already a member of the workspace.'}`,
      },
      {
        path: 'emails.1',
        code: 'ALREADY_INVITED',
        message: expect.stringMatching(/^guest-.*: An invitation to this address is already pending/),
      },
    ]);

    const mixed = await invite(team, team.owner, ['nope', team.admin.email]);
    expect(mixed.status).toBe(409);
    expect(mixed.body.code).toBe('NOTHING_TO_INVITE');
    expect(mixed.body.errors).toEqual([
      { path: 'emails.0', code: 'INVALID_EMAIL', message: 'nope: This is not a valid email address.' },
      { path: 'emails.1', code: 'ALREADY_MEMBER', message: expect.stringMatching(/already a member/) },
    ]);

    const tooMany = Array.from({ length: 101 }, (_, index) => `p${index}@acme.test`).join(',');
    const refused = await invite(team, team.owner, tooMany);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toMatch(/at most 100/);

    const notAddresses = await api.post(invitationsPath(team), team.owner.token, {
      emails: 42,
      role: 'member',
      phoneAssignment: newNumber,
    });
    expect(notAddresses.body.errors).toEqual([
      {
        path: 'emails',
        message: 'Give a list of email addresses, or one string of addresses separated by commas.',
      },
    ]);
    const noReference = await api.post('/v1/invitations/accept', team.member.token, {});
    expect(noReference.status).toBe(400);
    expect(noReference.body.errors[0].message).toMatch(/^Send the token from the invitation link/);

    const empty = await invite(team, team.owner, ' , ');
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');

    const badAssignment = await api.post(invitationsPath(team), team.owner.token, {
      emails: [newAddress()],
      role: 'member',
      phoneAssignment: { mode: 'borrow' },
    });
    expect(badAssignment.status).toBe(400);
    expect(badAssignment.body.code).toBe('VALIDATION_FAILED');

    const unknownNumber = await api.post(invitationsPath(team), team.owner.token, {
      emails: [newAddress()],
      role: 'member',
      phoneAssignment: { mode: 'share', phoneNumberIds: ['PN00000000000000000000000000'], access: 'shared' },
    });
    expect(unknownNumber.status).toBe(400);
    expect(unknownNumber.body).toMatchObject({
      code: 'PHONE_NUMBER_NOT_FOUND',
      errors: [{ path: 'phoneAssignment.phoneNumberIds.0', message: expect.stringContaining('PN000') }],
    });
    const listed = await api.get(invitationsPath(team), team.owner.token);
    expect(listed.body.data.map((invitation: { email: string }) => invitation.email)).toEqual([pending]);
  });

  it('reports an address already invited, and lets a new invitation replace an expired one', async () => {
    const team = await createTeam(api);
    const email = newAddress();
    const { invitation } = await inviteOne(team, email);
    const again = await invite(team, team.admin, [email, newAddress()]);
    expect(again.status).toBe(201);
    expect(again.body.errors).toEqual([
      { email, code: 'ALREADY_INVITED', message: expect.stringMatching(/resend it instead/) },
    ]);

    await expireInvitation(team, invitation);
    const renewed = await invite(team, team.admin, [email]);
    expect(renewed.status).toBe(201);
    expect(renewed.body.errors).toEqual([]);
    const expired = await api.get(`${invitationsPath(team)}?status=expired`, team.owner.token);
    expect(expired.body.data.map((item: { id: string }) => item.id)).toEqual([invitation.id]);
    const pending = await api.get(`${invitationsPath(team)}?status=pending`, team.owner.token);
    expect(pending.body.data).toHaveLength(2);
  });

  it('applies D1: members invite only members, only owners invite owners, the setting turns members off', async () => {
    const team = await createTeam(api);
    const memberAsAdmin = await invite(team, team.member, [newAddress()], 'admin');
    expect(memberAsAdmin.status).toBe(403);
    expect(memberAsAdmin.body).toMatchObject({
      code: 'ROLE_FORBIDDEN',
      message: expect.stringMatching(/only as members/),
    });
    const adminAsOwner = await invite(team, team.admin, [newAddress()], 'owner');
    expect(adminAsOwner.status).toBe(403);
    expect(adminAsOwner.body.code).toBe('OWNER_REQUIRED');
    expect((await invite(team, team.admin, [newAddress()], 'admin')).status).toBe(201);
    expect((await invite(team, team.owner, [newAddress()], 'owner')).status).toBe(201);
    expect((await invite(team, team.member, [newAddress()], 'member')).status).toBe(201);

    const turnedOff = await api.patch(`/v1/workspaces/${team.workspaceId}`, team.admin.token, {
      settings: { membersCanInvite: false },
    });
    expect(turnedOff.status).toBe(200);
    const refused = await invite(team, team.member, [newAddress()], 'member');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('members.invite');
    expect((await invite(team, team.admin, [newAddress()], 'member')).status).toBe(201);
  });

  it('sends no second email for a retried request with the same Idempotency-Key', async () => {
    const team = await createTeam(api);
    const email = newAddress();
    const body = { emails: [email], role: 'member', phoneAssignment: newNumber };
    const headers = { 'idempotency-key': `invite-${randomBytes(4).toString('hex')}` };
    const first = await api.post(invitationsPath(team), team.owner.token, body, { headers });
    const retry = await api.post(invitationsPath(team), team.owner.token, body, { headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await emailsTo(api, email)).toHaveLength(1);

    const otherBody = await api.post(
      invitationsPath(team),
      team.owner.token,
      { ...body, emails: [newAddress()] },
      { headers },
    );
    expect(otherBody.status).toBe(409);
    expect(otherBody.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('limits a workspace to 200 invitations per hour', async () => {
    const team = await createTeam(api);
    const hour = new Date().toISOString().slice(0, 13);
    await api.documents.send(
      new UpdateCommand({
        TableName: api.tableName,
        Key: invitationRateKey(team.workspaceId, hour),
        UpdateExpression: 'SET sent = :sent',
        ExpressionAttributeValues: { ':sent': 198 },
      }),
    );
    const overBatch = await invite(team, team.owner, [newAddress(), newAddress(), newAddress()]);
    expect(overBatch.status).toBe(429);
    expect(overBatch.body).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(
        /at most 200 invitations per hour\. Only 2 more .* Try again after \d\d:00 UTC/,
      ),
    });
    // Retry-After: the seconds until the next clock hour.
    const untilNextHour = (Date.parse(`${hour}:00:00.000Z`) + 3_600_000 - Date.now()) / 1000;
    const retryAfter = Number(overBatch.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(Math.abs(retryAfter - untilNextHour)).toBeLessThanOrEqual(5);
    expect((await invite(team, team.owner, [newAddress(), newAddress()])).status).toBe(201);
    const full = await invite(team, team.owner, [newAddress()]);
    expect(full.status).toBe(429);
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

/** Moves an invitation's expiry into the past, on the invitation and on its hold of the address. */
async function expireInvitation(team: Team, invitation: { id: string; email: string }): Promise<void> {
  const past = new Date(Date.now() - 1000).toISOString();
  for (const Key of [
    invitationKey(team.workspaceId, invitation.id),
    addressKey(team.workspaceId, invitation.email),
  ]) {
    await api.documents.send(
      new UpdateCommand({
        TableName: api.tableName,
        Key,
        UpdateExpression: 'SET validUntil = :past',
        ExpressionAttributeValues: { ':past': past },
      }),
    );
  }
}

describe('accepting', () => {
  it('refuses another address, an unverified address, a second accept, and an expired invitation', async () => {
    const team = await createTeam(api);
    const email = newAddress('jane');
    const { invitation, token } = await inviteOne(team, email);

    const stranger = await api.user();
    const wrong = await api.post('/v1/invitations/accept', stranger.token, { token });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({
      code: 'INVITATION_EMAIL_MISMATCH',
      message: expect.stringContaining('j***@acme.test'),
    });
    expect(wrong.body.message).not.toContain(email);

    const unverified = await api.user({ email, emailVerified: false });
    const notVerified = await api.post('/v1/invitations/accept', unverified.token, { token });
    expect(notVerified.status).toBe(403);
    expect(notVerified.body).toMatchObject({
      code: 'EMAIL_NOT_VERIFIED',
      message: expect.stringContaining('j***@acme.test'),
    });

    const invitee = await api.user({ email });
    expect((await api.post('/v1/invitations/accept', invitee.token, { token })).status).toBe(200);
    const twice = await api.post('/v1/invitations/accept', invitee.token, { token });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('INVITATION_NOT_PENDING');
    const sameAddressOtherAccount = await api.user({ email, sub: `other-${invitee.userId}` });
    const someoneElse = await api.post('/v1/invitations/accept', sameAddressOtherAccount.token, { token });
    expect(someoneElse.status).toBe(409);
    expect(someoneElse.body).toMatchObject({
      code: 'INVITATION_NOT_PENDING',
      message: 'This invitation was already accepted.',
    });

    const late = await inviteOne(team, newAddress('late'));
    await expireInvitation(team, late.invitation);
    const lateUser = await api.user({ email: late.invitation.email });
    const expired = await api.post('/v1/invitations/accept', lateUser.token, { token: late.token });
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ title: 'Gone', code: 'INVITATION_EXPIRED' });
    expect((await api.get(`/v1/invitations/${late.token}`)).body.data.status).toBe('expired');
    expect(invitation.status).toBe('pending');
  });

  it('kills the link on revocation and on resend, answering exactly as for an unknown token', async () => {
    const team = await createTeam(api);
    const unknown = await api.post('/v1/invitations/accept', team.outsider.token, {
      token: randomBytes(32).toString('base64url'),
    });
    expect(unknown.status).toBe(404);
    const sameAsUnknown = (body: Record<string, unknown>) => {
      const { requestId: _ignored, ...rest } = body;
      const { requestId: _alsoIgnored, ...expected } = unknown.body;
      expect(rest).toEqual(expected);
    };

    const revoked = await inviteOne(team, newAddress());
    const revoke = await api.del(`${invitationsPath(team)}/${revoked.invitation.id}`, team.admin.token);
    expect(revoke.status).toBe(204);
    const revokedUser = await api.user({ email: revoked.invitation.email });
    const afterRevoke = await api.post('/v1/invitations/accept', revokedUser.token, { token: revoked.token });
    expect(afterRevoke.status).toBe(404);
    sameAsUnknown(afterRevoke.body);
    const revokedPreview = await api.get(`/v1/invitations/${revoked.token}`);
    expect(revokedPreview.status).toBe(404);
    sameAsUnknown(revokedPreview.body);
    const revokeAgain = await api.del(`${invitationsPath(team)}/${revoked.invitation.id}`, team.admin.token);
    expect(revokeAgain.status).toBe(409);
    expect((await invite(team, team.owner, [revoked.invitation.email])).status).toBe(201);

    const resent = await inviteOne(team, newAddress());
    const tooSoon = await api.post(
      `${invitationsPath(team)}/${resent.invitation.id}/resend`,
      team.owner.token,
    );
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.message).toMatch(/wait a minute/);
    await backdateDelivery(api, team, resent.invitation.id, 120_000);
    const resend = await api.post(
      `${invitationsPath(team)}/${resent.invitation.id}/resend`,
      team.owner.token,
    );
    expect(resend.status).toBe(200);
    expect(resend.body.data).toMatchObject({
      id: resent.invitation.id,
      delivery: { status: 'queued', attempts: 2 },
    });
    const emails = await emailsTo(api, resent.invitation.email);
    expect(emails).toHaveLength(2);
    const newToken = invitationLink(emails.at(-1) as NonNullable<(typeof emails)[number]>).token;
    expect(newToken).not.toBe(resent.token);
    const resentUser = await api.user({ email: resent.invitation.email });
    const oldLink = await api.post('/v1/invitations/accept', resentUser.token, { token: resent.token });
    expect(oldLink.status).toBe(404);
    sameAsUnknown(oldLink.body);
    expect((await api.post('/v1/invitations/accept', resentUser.token, { token: newToken })).status).toBe(
      200,
    );

    const actions = await auditActions(team);
    expect(actions).toEqual(expect.arrayContaining(['invitation.revoked', 'invitation.resent']));
  });

  it('lets exactly one of twenty parallel accepts create the membership', async () => {
    const team = await createTeam(api);
    const { invitation, token } = await inviteOne(team, newAddress());
    const invitee = await api.user({ email: invitation.email });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.post('/v1/invitations/accept', invitee.token, { token })),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    for (const result of results.filter((r) => r.status === 409)) {
      expect(['ALREADY_MEMBER', 'INVITATION_NOT_PENDING', 'CONCURRENT_UPDATE']).toContain(result.body.code);
    }
    const workspace = await api.get(`/v1/workspaces/${team.workspaceId}`, team.owner.token);
    expect(workspace.body.data.memberCount).toBe(4);
    const joined = await api.get(
      `/v1/workspaces/${team.workspaceId}/audit-events?action=member.joined`,
      team.owner.token,
    );
    expect(joined.body.data).toHaveLength(1);
  });

  it('lists the caller’s pending invitations across workspaces, and accepts one by id', async () => {
    const acme = await createTeam(api, 'Acme');
    const globex = await createTeam(api, 'Globex');
    const email = newAddress();
    await inviteOne(acme, email);
    await inviteOne(globex, email, 'admin');
    const invitee = await api.user({ email });
    const mine = await api.get('/v1/me/invitations', invitee.token);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([
      expect.objectContaining({ workspace: { id: globex.workspaceId, name: 'Globex' }, role: 'admin' }),
      expect.objectContaining({ workspace: { id: acme.workspaceId, name: 'Acme' }, role: 'member' }),
    ]);
    const firstPage = await api.get('/v1/me/invitations?limit=1', invitee.token);
    expect(firstPage.body.data).toHaveLength(1);
    expect(firstPage.body.nextCursor).not.toBeNull();

    const unverified = await api.user({ email, emailVerified: false });
    expect((await api.get('/v1/me/invitations', unverified.token)).status).toBe(403);

    const stranger = await api.user();
    const notTheirs = await api.post('/v1/invitations/accept', stranger.token, {
      workspaceId: acme.workspaceId,
      invitationId: mine.body.data[1].id,
    });
    expect(notTheirs.status).toBe(404);
    const accepted = await api.post('/v1/invitations/accept', invitee.token, {
      workspaceId: acme.workspaceId,
      invitationId: mine.body.data[1].id,
    });
    expect(accepted.status).toBe(200);
    const after = await api.get('/v1/me/invitations', invitee.token);
    expect(after.body.data.map((item: { id: string }) => item.id)).toEqual([mine.body.data[0].id]);
  });
});

describe('managing', () => {
  it('shows members only their own invitations and lets only the sender, owners and admins act', async () => {
    const team = await createTeam(api);
    const fromMember = await invite(team, team.member, [newAddress()]);
    const fromAdmin = await invite(team, team.admin, [newAddress()]);
    const memberList = await api.get(invitationsPath(team), team.member.token);
    expect(memberList.body.data.map((item: { id: string }) => item.id)).toEqual([fromMember.body.data[0].id]);
    const ownerList = await api.get(invitationsPath(team), team.owner.token);
    expect(ownerList.body.data).toHaveLength(2);

    const adminInvitation = `${invitationsPath(team)}/${fromAdmin.body.data[0].id}`;
    const memberResends = await api.post(`${adminInvitation}/resend`, team.member.token);
    expect(memberResends.status).toBe(403);
    const memberRevokes = await api.del(adminInvitation, team.member.token);
    expect(memberRevokes.status).toBe(403);
    expect(memberRevokes.body.message).toMatch(/Only the person who sent this invitation/);

    const ownInvitation = `${invitationsPath(team)}/${fromMember.body.data[0].id}`;
    await backdateDelivery(api, team, fromMember.body.data[0].id, 120_000);
    expect((await api.post(`${ownInvitation}/resend`, team.member.token)).status).toBe(200);
    expect((await api.del(ownInvitation, team.member.token)).status).toBe(204);
    expect((await api.del(adminInvitation, team.owner.token)).status).toBe(204);
    const unknown = await api.del(`${invitationsPath(team)}/IV00000000000000000000000000`, team.owner.token);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('INVITATION_NOT_FOUND');
  });

  it('keeps an invitation whose email failed, with the reason, and sends it on resend', async () => {
    const team = await createTeam(api);
    const email = newAddress();
    const ses = mockClient(SESv2Client);
    let response: Awaited<ReturnType<typeof invite>>;
    try {
      ses
        .on(SendEmailCommand)
        .rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
      response = await invite(team, team.owner, [email]);
      // The mailer meets the refusal, after the answer: a permanent one, not retried.
      await api.mail.settled();
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    } finally {
      ses.restore();
    }
    expect(response.status).toBe(201);
    const [queued] = response.body.data;
    expect(queued.delivery).toEqual({ status: 'queued', reason: null, attempts: 1 });
    expect(await emailsTo(api, email)).toHaveLength(0);
    const listed = await api.get(invitationsPath(team), team.owner.token);
    expect(listed.body.data[0]).toMatchObject({
      id: queued.id,
      status: 'pending',
      // SES's own words (they name identities) never reach clients.
      delivery: {
        status: 'failed',
        reason: 'The email service rejected the message. Resend it later.',
        attempts: 1,
      },
    });

    // A failed email may be resent at once.
    const resent = await api.post(`${invitationsPath(team)}/${queued.id}/resend`, team.owner.token);
    expect(resent.body.data.delivery).toEqual({ status: 'queued', reason: null, attempts: 2 });
    const [sent] = await emailsTo(api, email);
    if (!sent) throw new Error('no email after resend');
    const invitee = await api.user({ email });
    const accepted = await api.post('/v1/invitations/accept', invitee.token, {
      token: invitationLink(sent).token,
    });
    expect(accepted.status).toBe(200);
  });
});

describe('privacy and state', () => {
  it('refuses to accept into a workspace that is no longer active', async () => {
    const team = await createTeam(api);
    const { invitation, token } = await inviteOne(team, newAddress());
    await setWorkspaceStatus(api, team.workspaceId, 'suspended');
    const invitee = await api.user({ email: invitation.email });
    const refused = await api.post('/v1/invitations/accept', invitee.token, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('WORKSPACE_INACTIVE');
    const still = await api.get(`/v1/invitations/${token}`);
    expect(still.body.data.status).toBe('pending');
  });

  it('logs neither tokens nor email addresses, even at debug level', async () => {
    const team = await createTeam(api);
    const email = newAddress('private');
    let token = '';
    const logs = await capturedLogs(async () => {
      ({ token } = await inviteOne(team, email));
      const wrongUser = await api.user();
      await api.post('/v1/invitations/accept', wrongUser.token, { token });
      await api.get(`/v1/invitations/${token}`);
      await api.get(`/v1/invitations/${token}0`);
      await api.post('/v1/invitations/accept', (await api.user({ email })).token, { token });
    });
    expect(logs).toContain('Request refused');
    expect(logs).not.toContain(email);
    expect(logs).not.toContain(token);
    expect(logs).not.toMatch(/eyJ[\w-]+\./);
  });
});

describe('rules found in review', () => {
  it('counts an accepted owner invitation as an owner, so the first owner can then leave', async () => {
    const team = await createTeam(api);
    const { invitation, token } = await inviteOne(team, newAddress('co-owner'), 'owner');
    const coOwner = await api.user({ email: invitation.email });
    expect((await api.post('/v1/invitations/accept', coOwner.token, { token })).status).toBe(200);
    const { Item } = await api.documents.send(
      new GetCommand({ TableName: api.tableName, Key: workspaceKey(team.workspaceId), ConsistentRead: true }),
    );
    expect(Item).toMatchObject({ ownerCount: 2, memberCount: 4 });
    expect((await api.post(`/v1/workspaces/${team.workspaceId}/leave`, team.owner.token)).status).toBe(204);
    const lastOwner = await api.post(`/v1/workspaces/${team.workspaceId}/leave`, coOwner.token);
    expect(lastOwner.body.code).toBe('LAST_OWNER');
  });

  it('decides D1 again on resend: an admin cannot resend an owner invitation', async () => {
    const team = await createTeam(api);
    const { invitation } = await inviteOne(team, newAddress(), 'owner');
    await backdateDelivery(api, team, invitation.id, 120_000);
    const byAdmin = await api.post(`${invitationsPath(team)}/${invitation.id}/resend`, team.admin.token);
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.code).toBe('OWNER_REQUIRED');
    expect(
      (await api.post(`${invitationsPath(team)}/${invitation.id}/resend`, team.owner.token)).status,
    ).toBe(200);
  });

  it('answers 409 for invitations in a workspace that is not active', async () => {
    const team = await createTeam(api);
    await setWorkspaceStatus(api, team.workspaceId, 'cancelled');
    const refused = await invite(team, team.owner, [newAddress()]);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('WORKSPACE_INACTIVE');
  });

  it('limits one person to 200 invitations an hour across their workspaces', async () => {
    const team = await createTeam(api);
    await api.documents.send(
      new UpdateCommand({
        TableName: api.tableName,
        Key: inviterRateKey(team.owner.userId, new Date().toISOString().slice(0, 13)),
        UpdateExpression: 'SET sent = :sent',
        ExpressionAttributeValues: { ':sent': 200 },
      }),
    );
    const refused = await invite(team, team.owner, [newAddress()]);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/^One person can send at most 200 invitations per hour/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The workspace's own counter got its slot back.
    const { Item } = await api.documents.send(
      new GetCommand({
        TableName: api.tableName,
        Key: invitationRateKey(team.workspaceId, new Date().toISOString().slice(0, 13)),
        ConsistentRead: true,
      }),
    );
    expect(Item?.sent ?? 0).toBe(0);
    expect((await invite(team, team.admin, [newAddress()])).status).toBe(201);
  });

  it('answers, on a retry, what a first attempt that died after its transaction wrote, and emails once', async () => {
    const team = await createTeam(api);
    const email = newAddress('stuck');
    const key = `stuck-${randomBytes(4).toString('hex')}`;
    const body = { emails: [email], role: 'member', phoneAssignment: newNumber };
    const first = await api.post(invitationsPath(team), team.owner.token, body, {
      headers: { 'idempotency-key': key },
    });
    const [created] = first.body.data;
    // As if the first attempt had crashed after its transaction (which queued the email), a while ago.
    await api.documents.send(
      new UpdateCommand({
        TableName: api.tableName,
        Key: idempotencyKey(`createInvitations#${team.workspaceId}#${team.owner.userId}`, key),
        UpdateExpression: 'SET #state = :running, claimedAt = :then REMOVE #response',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: {
          ':running': 'running',
          ':then': new Date(Date.now() - 120_000).toISOString(),
        },
      }),
    );
    const retry = await api.post(invitationsPath(team), team.owner.token, body, {
      headers: { 'idempotency-key': key },
    });
    expect(retry.status).toBe(201);
    expect(retry.body.data).toEqual([
      expect.objectContaining({ id: created.id, delivery: expect.objectContaining({ attempts: 1 }) }),
    ]);
    expect(retry.body.errors).toEqual([]);
    const emails = await emailsTo(api, email);
    expect(emails).toHaveLength(1);
    const invitee = await api.user({ email });
    const token = invitationLink(emails[0] as (typeof emails)[number]).token;
    expect((await api.post('/v1/invitations/accept', invitee.token, { token })).status).toBe(200);
  });
});

describe('more of the lifecycle', () => {
  it('shares existing numbers: checked against the workspace and the inviter, given on accept', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const number = {
      id,
      number: (await api.get(numberPath(team.workspaceId, id), team.owner.token)).body.data.number,
    };
    const share = (access: string) => ({ mode: 'share', phoneNumberIds: [number.id], access });
    // The member has no access to the number yet: they cannot share it.
    const refused = await api.post(invitationsPath(team), team.member.token, {
      emails: [newAddress()],
      role: 'member',
      phoneAssignment: share('shared'),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NUMBER_ACCESS_REQUIRED');

    const email = newAddress('sharer');
    const created = await api.post(invitationsPath(team), team.admin.token, {
      emails: [email],
      role: 'member',
      phoneAssignment: share('read-only'),
    });
    expect(created.status).toBe(201);
    expect(created.body.data[0].phoneAssignment).toEqual({
      mode: 'share',
      phoneNumberIds: [number.id],
      access: 'read-only',
    });
    const [sent] = await emailsTo(api, email);
    const invitee = await api.user({ email });
    const accepted = await api.post('/v1/invitations/accept', invitee.token, {
      token: invitationLink(sent as NonNullable<typeof sent>).token,
    });
    expect(accepted.body.data.member).toMatchObject({
      phoneNumbers: [{ ...number, access: 'read-only' }],
      pendingNumberChoice: false,
    });
    expect(accepted.body.data.numbersNotShared).toEqual([]);
    // The access entry is the number's own: the decision lets them view, not call.
    const decision = await api.get(`${numberPath(team.workspaceId, id)}/can?action=view`, invitee.token);
    expect(decision.body.data).toMatchObject({ allowed: true, reason: 'READ_ONLY_ACCESS' });
  });

  it('revokes an expired invitation, filters by every status and pages the list', async () => {
    const team = await createTeam(api);
    const created = await invite(team, team.owner, [newAddress(), newAddress(), newAddress()]);
    const [first, second] = created.body.data;
    await expireInvitation(team, first);
    expect((await api.del(`${invitationsPath(team)}/${first.id}`, team.owner.token)).status).toBe(204);
    const byStatus = async (status: string) =>
      (await api.get(`${invitationsPath(team)}?status=${status}`, team.owner.token)).body.data.map(
        (item: { id: string }) => item.id,
      );
    expect(await byStatus('revoked')).toEqual([first.id]);
    expect(await byStatus('expired')).toEqual([]);
    expect((await byStatus('pending')).sort()).toEqual(
      created.body.data
        .slice(1)
        .map((item: { id: string }) => item.id)
        .sort(),
    );
    const page1 = await api.get(`${invitationsPath(team)}?limit=2`, team.owner.token);
    const page2 = await api.get(
      `${invitationsPath(team)}?limit=2&after=${encodeURIComponent(page1.body.nextCursor)}`,
      team.owner.token,
    );
    expect(page2.body.nextCursor).toBeNull();
    const all = [...page1.body.data, ...page2.body.data].map((item: { id: string }) => item.id);
    expect(new Set(all).size).toBe(3);
    const filtered = await api.get(
      `${invitationsPath(team)}?status=pending&after=${encodeURIComponent(page1.body.nextCursor)}`,
      team.owner.token,
    );
    expect(filtered.status).toBe(400);
    expect(filtered.body.code).toBe('INVALID_CURSOR');
    expect(second.status).toBe('pending');
  });

  it('gives the invitation, its token and its hold on the address a TTL 30 days after expiry', async () => {
    const team = await createTeam(api);
    const { invitation, token } = await inviteOne(team, newAddress());
    const expected = Math.floor((Date.parse(invitation.expiresAt) + 30 * 24 * 3600 * 1000) / 1000);
    const read = async (Key: Record<string, string>) =>
      (await api.documents.send(new GetCommand({ TableName: api.tableName, Key, ConsistentRead: true })))
        .Item;
    const hash = createHash('sha256').update(token).digest('base64url');
    for (const Key of [
      invitationKey(team.workspaceId, invitation.id),
      invitationTokenKey(hash),
      addressKey(team.workspaceId, invitation.email),
    ]) {
      expect((await read(Key))?.ttl, Key.SK).toBe(expected);
    }
  });

  it('keeps one outcome when an accept races a revoke', async () => {
    for (let round = 0; round < 5; round++) {
      const team = await createTeam(api);
      const { invitation, token } = await inviteOne(team, newAddress());
      const invitee = await api.user({ email: invitation.email });
      const [accept, revoke] = await Promise.all([
        api.post('/v1/invitations/accept', invitee.token, { token }),
        api.del(`${invitationsPath(team)}/${invitation.id}`, team.owner.token),
      ]);
      const member = await api.get(
        `/v1/workspaces/${team.workspaceId}/members/${invitee.userId}`,
        team.owner.token,
      );
      if (accept.status === 200) {
        expect(revoke.status).toBe(409);
        expect(member.status).toBe(200);
      } else {
        expect(revoke.status).toBe(204);
        expect([404, 409]).toContain(accept.status);
        expect(member.status).toBe(404);
      }
      const workspace = await api.get(`/v1/workspaces/${team.workspaceId}`, team.owner.token);
      expect(workspace.body.data.memberCount).toBe(accept.status === 200 ? 4 : 3);
    }
  });
});

describe('an invitation keeps to the authority it was sent with', () => {
  /** An admin of the team invites a new address as admin; the invitee and the token from the email. */
  async function adminInvitesAdmin(team: Team) {
    const email = newAddress('newadmin');
    const response = await invite(team, team.admin, [email], 'admin');
    expect(response.status).toBe(201);
    const [sent] = await emailsTo(api, email);
    if (!sent) throw new Error(`no email to ${email}`);
    return {
      invitation: response.body.data[0],
      token: invitationLink(sent).token,
      invitee: await api.user({ email }),
    };
  }
  const accept = (token: string, user: TestUser) => api.post('/v1/invitations/accept', user.token, { token });
  const demote = (team: Team, user: TestUser) =>
    api.patch(memberPath(team, user.userId), team.owner.token, { role: 'member' });

  it('refuses the accept once the inviter was demoted, or removed, below what the invitation needs', async () => {
    const demoted = await createTeam(api);
    const first = await adminInvitesAdmin(demoted);
    expect((await demote(demoted, demoted.admin)).status).toBe(200);
    const refused = await accept(first.token, first.invitee);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('INVITER_NO_LONGER_ALLOWED');
    // Nothing was written: not a member, the invitation still pending.
    expect((await api.get(memberPath(demoted, first.invitee.userId), demoted.owner.token)).status).toBe(404);
    const listed = await api.get(`${invitationsPath(demoted)}?status=pending`, demoted.owner.token);
    expect(listed.body.data.map((invitation: { id: string }) => invitation.id)).toContain(
      first.invitation.id,
    );

    const removed = await createTeam(api);
    const second = await adminInvitesAdmin(removed);
    expect((await api.del(memberPath(removed, removed.admin.userId), removed.owner.token)).status).toBe(204);
    expect((await accept(second.token, second.invitee)).body.code).toBe('INVITER_NO_LONGER_ALLOWED');
  });

  it('accepts when the accept comes first; the later demotion changes nothing of it', async () => {
    const team = await createTeam(api);
    const { token, invitee } = await adminInvitesAdmin(team);
    const accepted = await accept(token, invitee);
    expect(accepted.status).toBe(200);
    expect(accepted.body.data.member.role).toBe('admin');
    expect((await demote(team, team.admin)).status).toBe(200);
    expect((await api.get(memberPath(team, invitee.userId), team.owner.token)).body.data.role).toBe('admin');
  });

  it('stands again on whoever resends it: an owner’s resend makes the demoted admin’s invitation good', async () => {
    const team = await createTeam(api);
    const { invitation, invitee } = await adminInvitesAdmin(team);
    await demote(team, team.admin);
    await backdateDelivery(api, team, invitation.id, 120_000);
    const resent = await api.post(`${invitationsPath(team)}/${invitation.id}/resend`, team.owner.token);
    expect(resent.status).toBe(200);
    // The sender stays the admin; the authority is now the owner's.
    expect(resent.body.data.invitedBy.userId).toBe(team.admin.userId);
    const emails = await emailsTo(api, invitee.email);
    const latest = emails.at(-1);
    if (!latest) throw new Error('no email after the resend');
    expect((await accept(invitationLink(latest).token, invitee)).status).toBe(200);
  });

  it('refuses a member’s invitation once members may no longer invite', async () => {
    const team = await createTeam(api);
    const email = newAddress();
    expect((await invite(team, team.member, [email])).status).toBe(201);
    const [sent] = await emailsTo(api, email);
    if (!sent) throw new Error('no email');
    const off = await api.patch(workspacePath(team), team.owner.token, {
      settings: { membersCanInvite: false },
    });
    expect(off.status).toBe(200);
    const invitee = await api.user({ email });
    expect((await accept(invitationLink(sent).token, invitee)).body.code).toBe('INVITER_NO_LONGER_ALLOWED');
  });

  it('refuses a member’s invitation sharing a number once that member no longer holds it', async () => {
    const team = await createTeam(api);
    const id = await addNumber(api, team.workspaceId, team.owner);
    const number = { id };
    const holds = (access: 'shared' | 'read-only') =>
      grant(api, team.workspaceId, id, team.owner, team.member, access);
    await holds('shared');
    const inviteSharing = async () => {
      const email = newAddress('shared-with');
      const created = await api.post(invitationsPath(team), team.member.token, {
        emails: [email],
        role: 'member',
        phoneAssignment: { mode: 'share', phoneNumberIds: [number.id], access: 'shared' },
      });
      expect(created.status).toBe(201);
      const [sent] = await emailsTo(api, email);
      if (!sent) throw new Error('no email');
      return { token: invitationLink(sent).token, invitee: await api.user({ email }) };
    };
    const kept = await inviteSharing();
    const lost = await inviteSharing();
    expect((await accept(kept.token, kept.invitee)).status).toBe(200);
    // Down to read-only: no longer full access, so no longer theirs to share.
    await holds('read-only');
    expect((await accept(lost.token, lost.invitee)).body.code).toBe('INVITER_NO_LONGER_ALLOWED');
  });

  it('keeps one order when an accept races the inviter’s demotion (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const team = await createTeam(api);
      const { token, invitee } = await adminInvitesAdmin(team);
      const [accepted, demoted] = await Promise.all([accept(token, invitee), demote(team, team.admin)]);
      expect(demoted.status).toBe(200);
      const member = await api.get(memberPath(team, invitee.userId), team.owner.token);
      if (accepted.status === 200) {
        // The accept came first: a member, as admin, the invitation accepted.
        expect(member.body.data.role).toBe('admin');
      } else {
        expect(accepted.status).toBe(409);
        expect(['INVITER_NO_LONGER_ALLOWED', 'CONCURRENT_UPDATE']).toContain(accepted.body.code);
        expect(member.status).toBe(404);
      }
      const workspace = await api.get(workspacePath(team), team.owner.token);
      expect(workspace.body.data.memberCount).toBe(accepted.status === 200 ? 4 : 3);
    }
  });
});

describe('resending under concurrency', () => {
  it('sends exactly one email for ten simultaneous resends; the others wait, told for how long', async () => {
    const team = await createTeam(api);
    const email = newAddress();
    const { invitation } = await inviteOne(team, email);
    await backdateDelivery(api, team, invitation.id, 120_000);
    const resends = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.post(`${invitationsPath(team)}/${invitation.id}/resend`, team.owner.token),
      ),
    );
    const statuses = resends.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    for (const refused of resends.filter((response) => response.status !== 200)) {
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // The invitation's own email, then exactly one resent.
    expect(await emailsTo(api, email)).toHaveLength(2);
    // The slots of the refused resends went back to the hourly counter: 1 invitation + 1 resend.
    const { Item } = await api.documents.send(
      new GetCommand({
        TableName: api.tableName,
        Key: invitationRateKey(team.workspaceId, new Date().toISOString().slice(0, 13)),
        ConsistentRead: true,
      }),
    );
    expect(Item?.sent).toBe(2);
  });

  it('answers a resend within the minute 429 with Retry-After', async () => {
    const team = await createTeam(api);
    const { invitation } = await inviteOne(team, newAddress());
    const tooSoon = await api.post(`${invitationsPath(team)}/${invitation.id}/resend`, team.owner.token);
    expect(tooSoon.status).toBe(429);
    const retryAfter = Number(tooSoon.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });
});

describe('names as they are now', () => {
  it('names the workspace as it is now on accept and in my invitations; the preview keeps the emailed name', async () => {
    const team = await createTeam(api, 'Old Name');
    const email = newAddress();
    const { token } = await inviteOne(team, email);
    expect((await api.patch(workspacePath(team), team.owner.token, { name: 'New Name' })).status).toBe(200);
    const invitee = await api.user({ email });
    const mine = await api.get('/v1/me/invitations', invitee.token);
    expect(mine.body.data[0].workspace).toEqual({ id: team.workspaceId, name: 'New Name' });
    const preview = await api.get(`/v1/invitations/${token}`);
    expect(preview.body.data.workspace.name).toBe('Old Name');
    const accepted = await api.post('/v1/invitations/accept', invitee.token, { token });
    expect(accepted.body.data.workspace).toEqual({ id: team.workspaceId, name: 'New Name' });
  });

  it('shows a name claim with lone surrogates and control characters cleaned, as a workspace name would be', async () => {
    const odd = await api.user({ name: 'Zoë\uD800 Nul\u0000l \uDFFF' });
    const created = await api.post('/v1/workspaces', odd.token, { name: 'Odd' });
    const team = { workspaceId: created.body.data.id } as Team;
    const listed = await api.get(`${workspacePath(team)}/members`, odd.token);
    expect(listed.body.data.map((member: { name: string }) => member.name)).toEqual(['Zoë Nul l']);
    expect((await api.get('/v1/me', odd.token)).body.data.name).toBe('Zoë Nul l');
    // And so in the subject of the emails the person sends.
    const email = newAddress();
    await api.post(invitationsPath(team), odd.token, {
      emails: [email],
      role: 'member',
      phoneAssignment: newNumber,
    });
    const [sent] = await emailsTo(api, email);
    expect(sent?.subject).toBe('Zoë Nul l invited you to Odd');
  });
});
