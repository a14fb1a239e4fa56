import { escapeHtml, longUtcTime, oneLine } from '../../email/format';
import type { EmailMessage } from '../../email/message';

export interface LapseEmailInput {
  to: string;
  workspaceName: string;
  domain: string;
  record: { name: string; value: string };
  lastSeenAt: Date | undefined;
  /** Where the workspace's settings are (the web app). */
  appUrl: string;
}

/** To each Owner and Admin when a verified domain's record has been gone for longer than the grace period. */
export function lapseEmail(input: LapseEmailInput): EmailMessage {
  const workspace = oneLine(input.workspaceName);
  const seen = input.lastSeenAt ? ` It was last seen on ${longUtcTime(input.lastSeenAt)}.` : '';
  const subject = `${input.domain} is no longer verified for ${workspace}`;
  const text = [
    `The DNS record that proves ${workspace} owns ${input.domain} can no longer be found.${seen}`,
    '',
    `Until it is back, nobody can join ${workspace} through ${input.domain}. People who are already members stay.`,
    '',
    'To restore it, publish this TXT record again at your DNS provider:',
    `  Name:  ${input.record.name}`,
    `  Value: ${input.record.value}`,
    '',
    `Then verify the domain again in the workspace's settings${input.appUrl ? ` (${input.appUrl})` : ''}, or wait for the next daily check.`,
    'If you no longer use this domain, delete it from the workspace.',
  ].join('\n');
  const html = `<!doctype html>
<html lang="en"><body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a;">
<p>The DNS record that proves <strong>${escapeHtml(workspace)}</strong> owns <strong>${escapeHtml(input.domain)}</strong> can no longer be found.${escapeHtml(seen)}</p>
<p>Until it is back, nobody can join ${escapeHtml(workspace)} through ${escapeHtml(input.domain)}. People who are already members stay.</p>
<p>To restore it, publish this TXT record again at your DNS provider:</p>
<table style="border-collapse: collapse;">
<tr><td style="padding: 2px 12px 2px 0;">Name</td><td><code>${escapeHtml(input.record.name)}</code></td></tr>
<tr><td style="padding: 2px 12px 2px 0;">Value</td><td><code>${escapeHtml(input.record.value)}</code></td></tr>
</table>
<p>Then verify the domain again in the workspace’s settings${
    input.appUrl ? ` (<a href="${escapeHtml(input.appUrl)}">${escapeHtml(input.appUrl)}</a>)` : ''
  }, or wait for the next daily check. If you no longer use this domain, delete it from the workspace.</p>
</body></html>`;
  return { to: input.to, subject, text, html };
}
