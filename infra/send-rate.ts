/**
 * How the mailer keeps within the account's SES send rate: `concurrency`
 * instances at most (reserved concurrency, and the queue's event source
 * maximum concurrency, so that SQS never meets a throttled function), each
 * sending one email per `sendIntervalMs`, from batches of `batchSize`.
 * CloudFormation cannot compute these from a parameter, so the stack
 * computes them here for each offered rate, into a mapping that the
 * MaxSendRate parameter selects from.
 */
export interface MailerPlan {
  concurrency: number;
  sendIntervalMs: number;
  batchSize: number;
}

/** The rates the MaxSendRate parameter offers (emails per second): SES's sandbox is 1, production starts at 14. */
export const offeredSendRates = [1, 2, 5, 10, 14, 20, 50, 100, 200, 500] as const;

/** One instance sends at most this many emails per second: SES answers a send in tens of milliseconds. */
const perInstanceRate = 5;
/** A batch takes about this long at most at the instance's pace, retries aside. */
const batchSeconds = 10;
/** The event source's maximum concurrency cannot be lower. */
const minimumConcurrency = 2;
/** SQS hands a function at most 10 messages at once without a batching window. */
const maxBatchSize = 10;

export function mailerPlan(rate: number): MailerPlan {
  const concurrency = Math.max(minimumConcurrency, Math.ceil(rate / perInstanceRate));
  const instanceRate = rate / concurrency;
  return {
    concurrency,
    sendIntervalMs: Math.ceil(1000 / instanceRate),
    batchSize: Math.min(maxBatchSize, Math.max(1, Math.floor(batchSeconds * instanceRate))),
  };
}
