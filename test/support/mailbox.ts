import type { TestApi } from './api';

/** The emails the local SES holds, as its `/store` endpoint lists them. */
export interface SentEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

/** Every email the local SES holds, once the mailer has sent everything queued so far. */
export async function sentEmails(api: Pick<TestApi, 'sesUrl' | 'mail'>): Promise<SentEmail[]> {
  await api.mail.settled();
  const response = await fetch(`${api.sesUrl}/store`);
  return ((await response.json()) as { emails: SentEmail[] }).emails;
}

/** The emails sent to `address`, once the mailer has sent everything queued so far. */
export async function emailsTo(api: Pick<TestApi, 'sesUrl' | 'mail'>, address: string): Promise<SentEmail[]> {
  return (await sentEmails(api)).filter((email) => email.destination.to.includes(address));
}

/** The invitation link of an email, from its plain-text part, and the token it carries. */
export function invitationLink(email: SentEmail): { link: string; token: string } {
  const link = /(https?:\/\/\S+\/join\?token=([\w-]+))/.exec(email.body.text ?? '');
  if (!link?.[1] || !link[2]) throw new Error(`No invitation link in: ${email.body.text}`);
  return { link: link[1], token: link[2] };
}
