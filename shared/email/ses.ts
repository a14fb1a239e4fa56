import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

export interface EmailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export type Delivery = { status: 'sent'; reason: null } | { status: 'failed'; reason: string };

/** One client per execution environment; locally SES_ENDPOINT points at the local SES. */
const ses = new SESv2Client({ endpoint: process.env.SES_ENDPOINT || undefined });

// SES's own error text names accounts and identities: clients get these sentences instead.
const failureReasons: Record<string, string> = {
  MessageRejected: 'The email service rejected the message.',
  MailFromDomainNotVerifiedException: 'The sender address is not verified with the email service.',
  AccountSuspendedException: 'Sending email is suspended for this service.',
  SendingPausedException: 'Sending email is paused for this service.',
  TooManyRequestsException: 'The email service is busy.',
  LimitExceededException: 'The daily sending limit of the email service is reached.',
  NotFoundException: 'The sender identity is not set up with the email service.',
};

function failureReason(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  return `${failureReasons[name] ?? 'The email could not be sent.'} Resend the invitation later.`;
}

/** Sends one email; a failure is reported as the delivery's outcome, never thrown. */
export async function sendEmail(message: EmailMessage): Promise<Delivery> {
  const sender = process.env.SENDER_EMAIL;
  if (!sender) return { status: 'failed', reason: 'No sender address is configured for email.' };
  try {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: sender,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: message.html, Charset: 'UTF-8' },
              Text: { Data: message.text, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    return { status: 'sent', reason: null };
  } catch (error) {
    return { status: 'failed', reason: failureReason(error) };
  }
}
