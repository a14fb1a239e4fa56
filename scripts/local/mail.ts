import type { EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { AppError } from '../../shared/core/errors';
import type { SesEvent } from '../../shared/email/events';
import { messageIdHeader, messageIdTag } from '../../shared/email/message';
import { maxReceives, type QueueMessage } from '../../shared/email/queue';
import { parseInput } from '../../shared/http/validation';
import { workers } from '../../shared/workers';
import { enforceFunctionPermissions, loadWorker as load } from './local-iam';
import { LocalQueue } from './mail-queue';
import { startOutboxRelay } from './outbox-relay';

/** What `POST /dev/ses/events` takes: the feedback SES would publish for the latest email to an address. */
const simulatedEventBody = z.strictObject({
  type: z.enum(['delivery', 'bounce', 'complaint']),
  email: z.email(),
});

interface StoredEmail {
  destination: { to: string[] };
  headers?: { name: string; value: string }[];
  at: number;
}

/** SES's event (the EventBridge detail of a configuration set's event) for one recipient. */
function sesEvent(type: 'delivery' | 'bounce' | 'complaint', messageId: string, email: string): SesEvent {
  const mail = { tags: { [messageIdTag]: [messageId] } };
  if (type === 'delivery') return { eventType: 'Delivery', mail };
  if (type === 'bounce') {
    return {
      eventType: 'Bounce',
      mail,
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: email }] },
    };
  }
  return { eventType: 'Complaint', mail, complaint: { complainedRecipients: [{ emailAddress: email }] } };
}

const detailTypes = {
  delivery: 'Email Delivered',
  bounce: 'Email Bounced',
  complaint: 'Email Complaint Received',
};

export interface LocalMail {
  queue: LocalQueue;
  /** Resolves once every email queued before the call is sent (or settled otherwise). */
  settled(): Promise<void>;
  /** `POST /dev/ses/events`: the feedback for the latest email the local SES holds for the address. */
  simulateEvent(body: unknown): Promise<{ messageId: string; type: string }>;
  stop(): Promise<void>;
}

/**
 * The mail path of the stack, in process: the table's stream relayed to a
 * local queue (the EventBridge Pipe and SQS), consumed by the mailer's own
 * handler, which sends through the local SES; and SES's feedback, simulated
 * from the emails the local SES holds, given to the events handler. Both
 * handlers run under their functions' table grants.
 */
export async function startLocalMail(options: {
  dynamoEndpoint: string;
  tableName: string;
  sesUrl: string;
  /** How long a message the mailer gave back stays hidden: short locally, so retries come quickly. */
  visibilityMs: number;
}): Promise<LocalMail> {
  const { dynamo } = await import('../../shared/db/client');
  enforceFunctionPermissions(dynamo);
  const mailer = await load<SQSEvent, SQSBatchResponse>(workers.mailer);
  const applyEvent = await load<EventBridgeEvent<string, SesEvent>, void>(workers.emailEvents);
  const queue = new LocalQueue(
    { batchSize: 10, visibilityMs: options.visibilityMs, maxReceives },
    (messages: QueueMessage[]) => mailer({ Records: messages } as unknown as SQSEvent),
  );
  const relay = await startOutboxRelay({
    dynamoEndpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    send: (body) => queue.send(body),
  });

  return {
    queue,
    settled: async () => {
      await relay.caughtUp();
      await queue.idle();
    },
    simulateEvent: async (body) => {
      const input = parseInput(simulatedEventBody, body, 'body');
      const address = input.email.toLowerCase();
      const response = await fetch(`${options.sesUrl}/store`);
      const { emails } = (await response.json()) as { emails: StoredEmail[] };
      const latest = emails
        .filter((email) => email.destination.to.some((to) => to.toLowerCase() === address))
        .at(-1);
      const messageId = latest?.headers?.find((header) => header.name === messageIdHeader)?.value;
      if (!messageId) {
        throw new AppError('VALIDATION_FAILED', undefined, {
          fieldErrors: [
            { path: 'email', message: 'The local SES holds no email of this service to this address.' },
          ],
        });
      }
      await applyEvent({
        version: '0',
        id: crypto.randomUUID(),
        'detail-type': detailTypes[input.type],
        source: 'aws.ses',
        account: '000000000000',
        time: new Date().toISOString(),
        region: 'local',
        resources: [],
        detail: sesEvent(input.type, messageId, address),
      });
      return { messageId, type: input.type };
    },
    stop: async () => {
      await relay.stop();
      await queue.stop();
    },
  };
}
