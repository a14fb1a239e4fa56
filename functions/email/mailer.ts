import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sendQueued } from '../../shared/email/mailer';

/** The mail queue's consumer: failed messages are reported back (ReportBatchItemFailures) and redelivered. */
export const handler = (event: SQSEvent): Promise<SQSBatchResponse> => sendQueued(event.Records);
