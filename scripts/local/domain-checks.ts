import * as z from 'zod/mini';
import { parseInput } from '../../shared/http/validation';
import type { LocalDns } from './dns-server';

/** What `PUT /dev/dns/txt` takes: a name's TXT records (a record may be given as its chunks), or a failure to answer with. */
const txtBody = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(253)),
  values: z.array(
    z.union([z.string().check(z.maxLength(4000)), z.array(z.string().check(z.maxLength(255)))]),
  ),
  failure: z.optional(z.enum(['servfail', 'timeout'])),
});

export interface LocalDomainChecks {
  setTxt(body: unknown): { name: string; values: z.infer<typeof txtBody>['values'] };
}

/** The dev route of the domain checks: the local DNS's records. */
export function localDomainChecks(dns: LocalDns): LocalDomainChecks {
  return {
    setTxt(body) {
      const input = parseInput(txtBody, body, 'body');
      dns.setTxt(input.name, { values: input.values, ...(input.failure ? { failure: input.failure } : {}) });
      return { name: input.name, values: input.values };
    },
  };
}
