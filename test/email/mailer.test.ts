import { randomBytes } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { backdateDelivery, deliveryOf } from '../support/delivery';
import { capturedLogs } from '../support/logs';
import { emailsTo, invitationLink, sentEmails } from '../support/mailbox';
import { messageIdOf, outboxItem, queueBody, queueMessage, setOutbox } from '../support/outbox';
import { invitationsPath } from '../support/paths';
import { createTeam, type Team } from '../support/seed';

let api: TestApi;
/** The mailer's own entry point, as a second instance would run it: loaded once the stack set its environment. */
let sendQueued: typeof import('../../shared/email/mailer').sendQueued;
let sendEmail: typeof import('../../shared/email/ses').sendEmail;
let openOutbox: typeof import('../../shared/email/outbox').openOutbox;

// A short visibility timeout: a message the mailer gives back comes again within a fraction of a second.
beforeAll(async () => {
  api = await startTestApi({ mailVisibilityMs: 300 });
  ({ sendQueued } = await import('../../shared/email/mailer'));
  ({ sendEmail } = await import('../../shared/email/ses'));
  ({ openOutbox } = await import('../../shared/email/outbox'));
});
afterAll(async () => {
  api?.mail.queue.resume();
  await api?.stop();
});

const newAddress = (label = 'guest') => `${label}-${randomBytes(4).toString('hex')}@mail.test`;

async function invite(team: Team, emails: string[]) {
  const response = await api.post(invitationsPath(team), team.owner.token, {
    emails,
    role: 'member',
    phoneAssignment: { mode: 'new' },
  });
  expect(response.status).toBe(201);
  return response.body.data as { id: string; email: string; delivery: { status: string } }[];
}

/** One invitation, its email queued and held in the paused queue. */
async function queuedInvitation(team: Team, email = newAddress()) {
  api.mail.queue.pause();
  const [invitation] = await invite(team, [email]);
  if (!invitation) throw new Error('not invited');
  await api.mail.settled();
  const messageId = await messageIdOf(api, team.workspaceId, invitation.id);
  return { invitation, email, messageId };
}

const throttled = () =>
  Object.assign(new Error('Maximum sending rate exceeded.'), {
    name: 'TooManyRequestsException',
    $fault: 'client',
    $metadata: { httpStatusCode: 429 },
  });

describe('the outbox', () => {
  // A hundred invitations, then a hundred sends: beside another test file on two CPUs, past the default 30 s.
  it('answers a batch of 100 before any email is sent, then the mailer sends all 100', async () => {
    const team = await createTeam(api);
    const addresses = Array.from({ length: 100 }, (_, index) => newAddress(`batch${index}`));
    api.mail.queue.pause();
    const invitations = await invite(team, addresses);
    expect(invitations).toHaveLength(100);
    expect(new Set(invitations.map((invitation) => invitation.delivery.status))).toEqual(new Set(['queued']));
    // Every intent reached the queue with its change; not one email went out yet.
    await api.mail.settled();
    expect(api.mail.queue.depth).toBe(100);
    // (The local SES is shared by the run's files: count only this batch's emails.)
    const toBatch = (emails: Awaited<ReturnType<typeof sentEmails>>) =>
      emails.filter((email) => addresses.some((address) => email.destination.to.includes(address)));
    expect(toBatch(await sentEmails(api))).toEqual([]);

    api.mail.queue.resume();
    await api.mail.settled();
    const sent = await sentEmails(api);
    const tokens = new Set<string>();
    for (const address of addresses) {
      const emails = sent.filter((email) => email.destination.to.includes(address));
      expect(emails, address).toHaveLength(1);
      tokens.add(invitationLink(emails[0] as (typeof emails)[number]).token);
    }
    expect(tokens.size).toBe(100);
    const listed = await api.get(`${invitationsPath(team)}?limit=100`, team.owner.token);
    expect(
      new Set(
        listed.body.data.map((invitation: { delivery: { status: string } }) => invitation.delivery.status),
      ),
    ).toEqual(new Set(['sent']));
  }, 120_000);

  it('sends once a message the queue delivers three times, or in a batch retried whole', async () => {
    const team = await createTeam(api);
    const { invitation, email, messageId } = await queuedInvitation(team);
    const body = await queueBody(api, messageId);
    // SQS delivers at least once: the same record twice more.
    api.mail.queue.send(body);
    api.mail.queue.send(body);
    api.mail.queue.resume();
    await api.mail.settled();
    expect(await emailsTo(api, email)).toHaveLength(1);
    // A batch the function failed is handed over again as it was.
    expect(await sendQueued([queueMessage(body, 2), queueMessage(body, 2)])).toEqual({
      batchItemFailures: [],
    });
    expect(await emailsTo(api, email)).toHaveLength(1);
    expect(await outboxItem(api, messageId)).toMatchObject({
      state: 'sent',
      sesMessageId: expect.any(String),
    });
    expect(await deliveryOf(api, team, invitation.id)).toEqual({ status: 'sent', reason: null, attempts: 1 });
  });

  it('sends once when two mailers race on one message', async () => {
    const team = await createTeam(api);
    const { email, messageId } = await queuedInvitation(team);
    const body = await queueBody(api, messageId);
    const results = await Promise.all([sendQueued([queueMessage(body)]), sendQueued([queueMessage(body)])]);
    expect(await emailsTo(api, email)).toHaveLength(1);
    // The loser saw the winner's claim: it hands its message back (or finds it sent), never sends.
    expect(results.flatMap((result) => result.batchItemFailures).length).toBeLessThanOrEqual(1);
    api.mail.queue.resume();
    await api.mail.settled();
    expect(await emailsTo(api, email)).toHaveLength(1);
    expect((await outboxItem(api, messageId))?.state).toBe('sent');
  });

  it('never sends again a message whose mailer died after sending and before recording it', async () => {
    const team = await createTeam(api);
    const { invitation, email, messageId } = await queuedInvitation(team);
    // What a mailer does up to SES's answer, then it dies: claimed, sent, not recorded.
    await setOutbox(api, messageId, { state: 'sending', claimedAt: new Date().toISOString() });
    const item = await outboxItem(api, messageId);
    const message = item && openOutbox(item);
    if (!message) throw new Error('the outbox message does not open');
    await sendEmail(message, messageId);
    expect(await emailsTo(api, email)).toHaveLength(1);
    // The queue hands the message over again: nothing more is sent.
    api.mail.queue.resume();
    await api.mail.settled();
    expect(await emailsTo(api, email)).toHaveLength(1);
    // Once the claim has expired, the delivery says what is known, and the invitation may be resent at once.
    expect(await deliveryOf(api, team, invitation.id)).toEqual({
      status: 'failed',
      reason: 'The email could not be confirmed as sent. Resend it later.',
      attempts: 1,
    });
    const resent = await api.post(`${invitationsPath(team)}/${invitation.id}/resend`, team.owner.token);
    expect(resent.status).toBe(200);
    expect(await emailsTo(api, email)).toHaveLength(2);
  });

  it('withdraws the queued email of an invitation revoked before it was sent', async () => {
    const team = await createTeam(api);
    const { invitation, email, messageId } = await queuedInvitation(team);
    expect((await api.del(`${invitationsPath(team)}/${invitation.id}`, team.owner.token)).status).toBe(204);
    api.mail.queue.resume();
    await api.mail.settled();
    expect(await emailsTo(api, email)).toHaveLength(0);
    expect((await outboxItem(api, messageId))?.state).toBe('withdrawn');
  });

  it('withdraws the queued email of an invitation accepted before it was sent', async () => {
    const team = await createTeam(api);
    const { invitation, email, messageId } = await queuedInvitation(team);
    const invitee = await api.user({ email });
    const accepted = await api.post('/v1/invitations/accept', invitee.token, {
      workspaceId: team.workspaceId,
      invitationId: invitation.id,
    });
    expect(accepted.status).toBe(200);
    api.mail.queue.resume();
    await api.mail.settled();
    expect(await emailsTo(api, email)).toHaveLength(0);
    expect((await outboxItem(api, messageId))?.state).toBe('withdrawn');
  });

  it('counts the resend cooldown from the send, not from the queueing', async () => {
    const team = await createTeam(api);
    const { invitation } = await queuedInvitation(team);
    // Queued five minutes ago (a backlog), sent only now.
    await backdateDelivery(api, team, invitation.id, 5 * 60_000);
    api.mail.queue.resume();
    await api.mail.settled();
    expect(await deliveryOf(api, team, invitation.id)).toMatchObject({ status: 'sent' });
    const tooSoon = await api.post(`${invitationsPath(team)}/${invitation.id}/resend`, team.owner.token);
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.message).toMatch(/just sent/);
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(50);
  });

  it('holds a resend back while the email is on its way, for an hour at most; a later one withdraws the first', async () => {
    const team = await createTeam(api);
    const { invitation, email, messageId } = await queuedInvitation(team);
    const onItsWay = await api.post(`${invitationsPath(team)}/${invitation.id}/resend`, team.owner.token);
    expect(onItsWay.status).toBe(429);
    expect(onItsWay.body.message).toMatch(/on its way/);
    expect(onItsWay.headers.get('retry-after')).toBe('60');
    // Still queued two hours later (the pipe dropped it, say): taken as lost.
    await backdateDelivery(api, team, invitation.id, 2 * 3_600_000);
    const resent = await api.post(`${invitationsPath(team)}/${invitation.id}/resend`, team.owner.token);
    expect(resent.status).toBe(200);
    expect(resent.body.data.delivery).toEqual({ status: 'queued', reason: null, attempts: 2 });
    api.mail.queue.resume();
    await api.mail.settled();
    expect(await emailsTo(api, email)).toHaveLength(1);
    expect((await outboxItem(api, messageId))?.state).toBe('withdrawn');
    expect(await deliveryOf(api, team, invitation.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('sends nothing to an address suppressed while its email waited, and says so', async () => {
    const team = await createTeam(api);
    const email = newAddress('bouncing');
    const [invitation] = await invite(team, [email]);
    const id = invitation?.id ?? '';
    expect(await emailsTo(api, email)).toHaveLength(1);
    // Resent (past the cooldown) while the first email's bounce is on its way.
    await backdateDelivery(api, team, id, 120_000);
    api.mail.queue.pause();
    expect((await api.post(`${invitationsPath(team)}/${id}/resend`, team.owner.token)).status).toBe(200);
    await api.mail.settled();
    expect((await api.post('/dev/ses/events', undefined, { type: 'bounce', email })).status).toBe(200);
    api.mail.queue.resume();
    await api.mail.settled();
    expect(await emailsTo(api, email)).toHaveLength(1);
    expect(await deliveryOf(api, team, id)).toEqual({
      status: 'suppressed',
      reason: 'This address is on the workspace’s suppressed addresses: nothing was sent.',
      attempts: 2,
    });
    // The list is the workspace's own: another workspace still reaches the address.
    const other = await createTeam(api, 'Other');
    await invite(other, [email]);
    expect(await emailsTo(api, email)).toHaveLength(2);
  });
});

describe('sending through SES', () => {
  it('retries a throttled send, with backoff, until SES takes it', async () => {
    const team = await createTeam(api);
    const ses = mockClient(SESv2Client);
    try {
      // Four refusals: the first receive's three tries, and one more on the next receive.
      ses
        .on(SendEmailCommand)
        .rejectsOnce(throttled())
        .rejectsOnce(throttled())
        .rejectsOnce(throttled())
        .rejectsOnce(throttled())
        .resolves({ MessageId: 'ses-message-1' });
      const [invitation] = await invite(team, [newAddress('throttled')]);
      await api.mail.settled();
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(5);
      const messageId = await messageIdOf(api, team.workspaceId, invitation?.id ?? '');
      expect(await outboxItem(api, messageId)).toMatchObject({
        state: 'sent',
        sesMessageId: 'ses-message-1',
      });
      expect(await deliveryOf(api, team, invitation?.id ?? '')).toMatchObject({
        status: 'sent',
        reason: null,
      });
      // Sent from the configured sender, tagged with the message for SES's events.
      expect(ses.commandCalls(SendEmailCommand)[4]?.args[0].input).toMatchObject({
        FromEmailAddress: 'invitations@switchboard.local',
        EmailTags: [{ Name: 'messageId', Value: messageId }],
      });
    } finally {
      ses.restore();
    }
    expect(api.mail.queue.deadLetters).toHaveLength(0);
  });

  it('retries a send that never reached SES, and never one that may have', async () => {
    const team = await createTeam(api);
    const networkError = (code: string) =>
      Object.assign(new Error(`connect ${code}`), { name: 'Error', code, $metadata: { attempts: 1 } });
    const ses = mockClient(SESv2Client);
    try {
      // No connection made: SES saw nothing, so trying again is safe.
      ses
        .on(SendEmailCommand)
        .rejectsOnce(networkError('ECONNREFUSED'))
        .resolves({ MessageId: 'ses-after-refusal' });
      const [refused] = await invite(team, [newAddress('refused')]);
      await api.mail.settled();
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
      expect(await deliveryOf(api, team, refused?.id ?? '')).toMatchObject({ status: 'sent' });

      // Reset after the request went out: it may have been sent, so it is not sent again.
      ses.reset();
      ses.on(SendEmailCommand).rejects(networkError('ECONNRESET'));
      const [reset] = await invite(team, [newAddress('reset')]);
      await api.mail.settled();
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
      expect(await deliveryOf(api, team, reset?.id ?? '')).toEqual({
        status: 'failed',
        reason: 'The email could not be confirmed as sent. Resend it later.',
        attempts: 1,
      });
    } finally {
      ses.restore();
    }
  });

  it('shows the delivery as sending while SES has the message', async () => {
    const team = await createTeam(api);
    let answer: (value: { MessageId: string }) => void = () => undefined;
    const ses = mockClient(SESv2Client);
    try {
      ses.on(SendEmailCommand).callsFake(
        () =>
          new Promise((resolve) => {
            answer = resolve;
          }),
      );
      const [invitation] = await invite(team, [newAddress('slow')]);
      await vi.waitFor(() => expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1));
      expect(await deliveryOf(api, team, invitation?.id ?? '')).toMatchObject({ status: 'sending' });
      answer({ MessageId: 'ses-slow' });
      await api.mail.settled();
      expect(await deliveryOf(api, team, invitation?.id ?? '')).toMatchObject({ status: 'sent' });
    } finally {
      ses.restore();
    }
  });

  it('gives a message up after its last receive: failed, with a reason a client may show', async () => {
    const team = await createTeam(api);
    const ses = mockClient(SESv2Client);
    let invitationId = '';
    try {
      ses.on(SendEmailCommand).rejects(throttled());
      invitationId = (await invite(team, [newAddress('busy')]))[0]?.id ?? '';
      await api.mail.settled();
      // Five receives, three tries each.
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(15);
    } finally {
      ses.restore();
    }
    expect(await deliveryOf(api, team, invitationId)).toEqual({
      status: 'failed',
      reason: 'The email service is busy. Resend it later.',
      attempts: 1,
    });
    // Recorded as failed on its last receive: nothing left for the dead-letter queue.
    expect(api.mail.queue.depth).toBe(0);
    expect(api.mail.queue.deadLetters).toHaveLength(0);
  });

  it('sends a message it cannot handle to the dead-letter queue after the last receive', async () => {
    const deadBefore = api.mail.queue.deadLetters.length;
    api.mail.queue.send('{"not":"a stream record"}');
    await api.mail.settled();
    expect(api.mail.queue.deadLetters).toHaveLength(deadBefore + 1);
  });

  it('logs no address, token or subject, even at debug level and when a send fails', async () => {
    const team = await createTeam(api, 'Private Matters');
    const delivered = newAddress('private');
    const rejected = newAddress('rejected');
    let token = '';
    const logs = await capturedLogs(async () => {
      await invite(team, [delivered]);
      const [email] = await emailsTo(api, delivered);
      token = invitationLink(email as NonNullable<typeof email>).token;
      const ses = mockClient(SESv2Client);
      try {
        ses.on(SendEmailCommand).rejects(
          Object.assign(new Error(`Email address is not verified: ${rejected}`), {
            name: 'MessageRejected',
          }),
        );
        await invite(team, [rejected]);
        await api.mail.settled();
      } finally {
        ses.restore();
      }
      await api.post('/dev/ses/events', undefined, { type: 'bounce', email: delivered });
    });
    expect(logs).toContain('Email sent');
    expect(logs).toContain('Email not sent');
    expect(logs).toContain('Email event applied');
    for (const secret of [delivered, rejected, token, 'Private Matters']) expect(logs).not.toContain(secret);
  });
});
