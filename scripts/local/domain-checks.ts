import * as z from 'zod/mini';
import type { RecheckSummary } from '../../shared/features/domains/recheck';
import { parseInput } from '../../shared/http/validation';
import { workers } from '../../shared/workers';
import type { LocalDns } from './dns-server';
import { loadWorker } from './local-iam';

/** What `PUT /dev/dns/txt` takes: a name's TXT records (a record may be given as its chunks), or a failure to answer with. */
const txtBody = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(253)),
  values: z.array(
    z.union([z.string().check(z.maxLength(4000)), z.array(z.string().check(z.maxLength(255)))]),
  ),
  failure: z.optional(z.enum(['servfail', 'timeout'])),
});

/** What `POST /dev/jobs/recheck-domains` takes: the instant the job runs as of. */
const recheckBody = z.strictObject({
  now: z.optional(z.iso.datetime({ offset: true })),
});

export interface LocalDomainChecks {
  setTxt(body: unknown): { name: string; values: z.infer<typeof txtBody>['values'] };
  recheck(body: unknown): Promise<RecheckSummary>;
}

/** The dev routes of the domain checks: the local DNS's records, and the daily job run once on demand. */
export async function localDomainChecks(dns: LocalDns): Promise<LocalDomainChecks> {
  const recheck = await loadWorker<{ now?: string }, RecheckSummary>(workers.recheckDomains);
  return {
    setTxt(body) {
      const input = parseInput(txtBody, body, 'body');
      dns.setTxt(input.name, { values: input.values, ...(input.failure ? { failure: input.failure } : {}) });
      return { name: input.name, values: input.values };
    },
    recheck(body) {
      const input = parseInput(recheckBody, body, 'body');
      return recheck(input.now ? { now: input.now } : {});
    },
  };
}
