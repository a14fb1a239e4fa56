/** One email: the recipient, the subject, and its HTML and plain-text parts. */
export interface EmailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** The SES message tag that names the outbox message in SES's delivery events. */
export const messageIdTag = 'messageId';
/** The header that names the outbox message in the email itself (the local SES keeps headers, not tags). */
export const messageIdHeader = 'X-Switchboard-Message';
