import { escapeHtml, longUtcTime, oneLine } from '../../email/format';
import type { EmailMessage } from '../../email/message';

export interface InvitationEmailInput {
  to: string;
  workspaceName: string;
  inviterName: string;
  role: string;
  expiresAt: Date;
  link: string;
  /** Invited with "assign a new number": the onboarding includes picking one. */
  picksNumber: boolean;
  /** Invited with "share existing": the numbers, and the access to them, that come with joining. */
  sharedNumbers?: { numbers: string[]; access: string } | undefined;
  /** Where the apps are downloaded (web, desktop, mobile); none configured: the step says to use the web app. */
  appDownloadUrl: string;
}

const roleNames: Record<string, string> = { owner: 'an owner', admin: 'an admin', member: 'a member' };
const accessNames: Record<string, string> = {
  exclusive: 'exclusive access',
  shared: 'shared access',
  'read-only': 'read-only access',
};

/** What joining gives at once, when the invitation shares numbers. */
function sharedNumbersLine(input: InvitationEmailInput): string | undefined {
  if (!input.sharedNumbers || input.sharedNumbers.numbers.length === 0) return undefined;
  const access = accessNames[input.sharedNumbers.access] ?? input.sharedNumbers.access;
  return `You will have ${access} to ${input.sharedNumbers.numbers.join(', ')}.`;
}

/** The steps after the link, as the product's invitation journey goes (product.md §5). */
function onboardingSteps(input: InvitationEmailInput): { text: string; html: string }[] {
  const steps: { text: string; html: string }[] = [
    {
      text: `Create your account, or sign in, with this address (${input.to}).`,
      html: `Create your account, or sign in, with this address (${escapeHtml(input.to)}).`,
    },
  ];
  if (input.picksNumber) {
    steps.push({ text: 'Pick your phone number.', html: 'Pick your phone number.' });
  }
  steps.push(
    input.appDownloadUrl
      ? {
          text: `Download the apps for your computer and your phone: ${input.appDownloadUrl}`,
          html: `Download the apps for your computer and your phone: <a href="${escapeHtml(input.appDownloadUrl)}">${escapeHtml(input.appDownloadUrl)}</a>`,
        }
      : {
          text: 'Use the web app, or download the apps when you are in.',
          html: 'Use the web app, or download the apps when you are in.',
        },
  );
  return steps;
}

/** The invitation email, in HTML and plain text: the workspace, the one link that carries the token, and the steps after it. */
export function invitationEmail(input: InvitationEmailInput): EmailMessage {
  const workspace = oneLine(input.workspaceName);
  const inviter = oneLine(input.inviterName);
  const role = roleNames[input.role] ?? input.role;
  const expires = longUtcTime(input.expiresAt);
  const steps = onboardingSteps(input);
  const numbers = sharedNumbersLine(input);
  const text = [
    `${inviter} invited you to join ${workspace} as ${role}, to call and text with the team's business numbers.`,
    ...(numbers ? [numbers] : []),
    '',
    `Accept the invitation: ${input.link}`,
    '',
    'Then:',
    ...steps.map((step, index) => `${index + 1}. ${step.text}`),
    '',
    `This link works once and expires on ${expires}.`,
    'If you did not expect this invitation, ignore this email.',
  ].join('\n');
  const html = `<!doctype html>
<html lang="en"><body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a;">
<p><strong>${escapeHtml(inviter)}</strong> invited you to join <strong>${escapeHtml(workspace)}</strong> as ${role}, to call and text with the team's business numbers.</p>
${numbers ? `<p>${escapeHtml(numbers)}</p>\n` : ''}<p><a href="${escapeHtml(input.link)}" style="display: inline-block; padding: 10px 18px; background: #2f5bea; color: #fff; text-decoration: none; border-radius: 6px;">Accept the invitation</a></p>
<p>Or open this link: <a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>
<p>Then:</p>
<ol>
${steps.map((step) => `<li>${step.html}</li>`).join('\n')}
</ol>
<p>This link works once and expires on ${escapeHtml(expires)}.</p>
<p style="color: #666;">If you did not expect this invitation, ignore this email.</p>
</body></html>`;
  return { to: input.to, subject: `${inviter} invited you to ${workspace}`, html, text };
}
