import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type EmailMessage, messageIdHeader, messageIdTag } from './message';

/**
 * The SES client: only the mailer imports this module. Locally SES_ENDPOINT
 * points at the local SES. Retries are the mailer's own (backoff with jitter
 * around the account's send rate), so the client tries once.
 */
const ses = new SESv2Client({ endpoint: process.env.SES_ENDPOINT || undefined, maxAttempts: 1 });

/**
 * What a failed send means for trying again: `retryable` when SES certainly
 * did not take the message and may later (throttling, its own fault, no
 * connection made); `unconfirmed` when the request may have reached SES
 * (a connection reset or a timeout after sending): sending again could be a
 * second email, so it is not tried again; `permanent` otherwise.
 */
export type FailureKind = 'retryable' | 'unconfirmed' | 'permanent';

/** A send that did not happen, or may not have. */
export class SendFailure extends Error {
  constructor(
    readonly kind: FailureKind,
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
const throttlingNames = new Set(['TooManyRequestsException', 'ThrottlingException']);
/** Network errors raised before a request could be sent: SES has seen nothing. */
const notConnectedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

function failureOf(error: unknown): SendFailure {
  const { name = '', code = '', $fault } = error as { name?: string; code?: string; $fault?: string };
  const permanent = permanentReasons[name];
  if (permanent) return new SendFailure('permanent', permanent);
  const notSent = notConnectedCodes.has(code) || name === 'CredentialsProviderError';
  if (throttlingNames.has(name) || $fault === 'server' || notSent) {
    return new SendFailure('retryable', 'The email service is busy.');
  }
  // No answer from SES at all (a reset, a timeout), once the request may have reached it.
  if ($fault === undefined)
    return new SendFailure('unconfirmed', 'The email could not be confirmed as sent.');
  return new SendFailure('permanent', 'The email could not be sent.');
}

/** Sends one email from the configured sender, tagged with its outbox message id; SES's message id back. */
export async function sendEmail(message: EmailMessage, messageId: string): Promise<string> {
  const sender = process.env.SENDER_EMAIL;
  if (!sender) throw new SendFailure('permanent', 'No sender address is configured for email.');
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
