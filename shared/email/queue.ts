/**
 * The mail queue's contract, shared by the mailer, the stack (its redrive
 * policy) and the local queue: no client here, so the stack can read it.
 */

/** A queue message is received at most this often; the dead-letter queue takes it after that. */
export const maxReceives = 5;

/** One message of the mail queue, as Lambda's SQS event (or the local queue) hands it over. */
export interface QueueMessage {
  messageId: string;
  /** The stream record of the new outbox item, as JSON (what the Pipe sends). */
  body: string;
  attributes: { ApproximateReceiveCount: string };
}
