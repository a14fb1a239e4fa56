import * as z from 'zod/mini';
import { parseInput } from '../../shared/http/validation';
import { type WorkerDefinition, workers } from '../../shared/workers';
import { loadWorker } from './local-iam';

/** What `POST /dev/jobs/<job>` takes: the instant the job runs as of. */
const jobBody = z.strictObject({
  now: z.optional(z.iso.datetime({ offset: true })),
});

/** The daily jobs, run once on demand, by their dev route's last segment. */
export type LocalJobs = Record<string, (body: unknown) => Promise<unknown>>;

/** Each scheduled worker's handler, as its rule would invoke it, with the instant to run as of. */
export async function localJobs(): Promise<LocalJobs> {
  const job = async (worker: WorkerDefinition) => {
    const run = await loadWorker<{ now?: string }, unknown>(worker);
    return (body: unknown) => {
      const input = parseInput(jobBody, body, 'body');
      return run(input.now ? { now: input.now } : {});
    };
  };
  return {
    'recheck-domains': await job(workers.recheckDomains),
    'renew-subscriptions': await job(workers.renewSubscriptions),
  };
}
