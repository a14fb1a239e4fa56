import { escapeHtml, oneLine } from '../../email/format';
import type { EmailMessage } from '../../email/ses';

export interface InvitationEmailInput {
  to: string;
  workspaceName: string;
  inviterName: string;
  role: string;
  expiresAt: Date;
  link: string;
}

const roleNames: Record<string, string> = { owner: 'an owner', admin: 'an admin', member: 'a member' };

const expiryFormat = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'full',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** The invitation email, in HTML and plain text, with the one link that carries the token. */
export function invitationEmail(input: InvitationEmailInput): EmailMessage {
  const workspace = oneLine(input.workspaceName);
  const inviter = oneLine(input.inviterName);
  const role = roleNames[input.role] ?? input.role;
  const expires = `${expiryFormat.format(input.expiresAt)} UTC`;
  const text = [
    `${inviter} invited you to join ${workspace} as ${role}.`,
    '',
    `Accept the invitation: ${input.link}`,
    '',
    `This link works once and expires on ${expires}.`,
    `Sign in with this email address (${input.to}) to accept it.`,
    'If you did not expect this invitation, ignore this email.',
  ].join('\n');
  const html = `<!doctype html>
<html lang="en"><body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a;">
<p><strong>${escapeHtml(inviter)}</strong> invited you to join <strong>${escapeHtml(workspace)}</strong> as ${role}.</p>
<p><a href="${escapeHtml(input.link)}" style="display: inline-block; padding: 10px 18px; background: #2f5bea; color: #fff; text-decoration: none; border-radius: 6px;">Accept the invitation</a></p>
<p>Or open this link: <a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>
<p>This link works once and expires on ${escapeHtml(expires)}. Sign in with this email address (${escapeHtml(input.to)}) to accept it.</p>
<p style="color: #666;">If you did not expect this invitation, ignore this email.</p>
</body></html>`;
  return { to: input.to, subject: `${inviter} invited you to ${workspace}`, html, text };
}
