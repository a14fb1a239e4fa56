import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type EmailMessage, messageIdHeader, messageIdTag } from './message';

/**
 * The SES client: only the mailer imports this module. Locally SES_ENDPOINT
 * points at the local SES. Retries are the mailer's own (backoff with jitter
 * around the account's send rate), so the client tries once.
 */
const ses = new SESv2Client({ endpoint: process.env.SES_ENDPOINT || undefined, maxAttempts: 1 });

/** A send that did not happen: `retryable` when trying later may work (throttling, a fault of the service). */
export class SendFailure extends Error {
  constructor(
    readonly retryable: boolean,
    /** A sentence for clients: SES's own text names accounts and identities, and never leaves. */
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'SendFailure';
  }
}

const permanentReasons: Record<string, string> = {
  MessageRejected: 'The email service rejected the message.',
  MailFromDomainNotVerifiedException: 'The sender address is not verified with the email service.',
  AccountSuspendedException: 'Sending email is suspended for this service.',
  SendingPausedException: 'Sending email is paused for this service.',
  LimitExceededException: 'The daily sending limit of the email service is reached.',
  NotFoundException: 'The sender identity is not set up with the email service.',
  BadRequestException: 'The email service refused the message.',
};
const retryableNames = new Set(['TooManyRequestsException', 'ThrottlingException', 'ServiceUnavailable']);

function failureOf(error: unknown): SendFailure {
  const { name = '', $fault, $metadata } = error as { name?: string; $fault?: string; $metadata?: unknown };
  const permanent = permanentReasons[name];
  if (permanent) return new SendFailure(false, permanent);
  // Throttling, a fault on SES's side, or no answer at all (the network).
  if (retryableNames.has(name) || $fault === 'server' || $metadata === undefined) {
    return new SendFailure(true, 'The email service is busy.');
  }
  return new SendFailure(false, 'The email could not be sent.');
}

/** Sends one email from the configured sender, tagged with its outbox message id; SES's message id back. */
export async function sendEmail(message: EmailMessage, messageId: string): Promise<string> {
  const sender = process.env.SENDER_EMAIL;
  if (!sender) throw new SendFailure(false, 'No sender address is configured for email.');
  const configurationSet = process.env.SES_CONFIGURATION_SET;
  try {
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: sender,
        Destination: { ToAddresses: [message.to] },
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        EmailTags: [{ Name: messageIdTag, Value: messageId }],
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: message.html, Charset: 'UTF-8' },
              Text: { Data: message.text, Charset: 'UTF-8' },
            },
            Headers: [{ Name: messageIdHeader, Value: messageId }],
          },
        },
      }),
    );
    return MessageId ?? '';
  } catch (error) {
    throw failureOf(error);
  }
}
