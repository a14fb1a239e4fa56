import { Resolver } from 'node:dns/promises';

/**
 * TXT lookups with Node's resolver. Its servers are configuration
 * (`DNS_SERVERS`, `host:port` comma-separated): the local DNS server in
 * development and tests; unset in AWS, where the function uses the resolver
 * Lambda provides.
 */

/** One try's wait for an answer; a lookup tries twice. */
const tryTimeoutMs = () => Number(process.env.DNS_TIMEOUT_MS ?? 1500);

let resolver: Resolver | undefined;
/** Made at the first lookup, from the configuration as it is then (the local server sets it after imports). */
function txtResolver(): Resolver {
  if (resolver) return resolver;
  resolver = new Resolver({ timeout: tryTimeoutMs(), tries: 2 });
  const servers = (process.env.DNS_SERVERS ?? '')
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
  if (servers.length > 0) resolver.setServers(servers);
  return resolver;
}

/**
 * Answers that mean "there is no TXT record at this name", as opposed to "we
 * could not tell". EBADNAME: a name too long to exist (a doubled name can be).
 */
const noRecordCodes = new Set(['ENODATA', 'ENOTFOUND', 'EBADNAME']);

/**
 * The TXT records at a name, each joined from its chunks; [] when there is
 * none; undefined when the lookup failed or took too long. The deadline keeps
 * a verification within its function's timeout whatever the name servers do.
 */
async function txtRecords(name: string): Promise<string[] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), 3 * tryTimeoutMs());
  });
  const lookup = txtResolver()
    .resolveTxt(name)
    // A record longer than 255 bytes comes as several strings: it is one value.
    .then((records) => records.map((chunks) => chunks.join('')))
    .catch((error: unknown) => (noRecordCodes.has((error as { code?: string }).code ?? '') ? [] : undefined));
  try {
    return await Promise.race([lookup, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The label the record is published under, before the domain. */
export const challengeLabel = '_switchboard-challenge';
export const challengeName = (domain: string) => `${challengeLabel}.${domain}`;
export const challengeValue = (token: string) => `switchboard-verification=${token}`;

export type RecordCheck =
  | { result: 'found' }
  | { result: 'notFound'; name: string }
  | { result: 'mismatch'; name: string; found: number; expected: string }
  | { result: 'misplaced'; name: string; publishedAt: string }
  | { result: 'failed' };

/**
 * Whether the challenge record is published: one TXT string equal to the
 * expected value, never a substring. When it is not, `diagnose` also looks
 * at the doubled name (`_switchboard-challenge.acme.com.acme.com`) that DNS
 * consoles produce when the whole name is typed where they append the domain.
 */
export async function checkRecord(
  domain: string,
  token: string,
  options: { diagnose: boolean },
): Promise<RecordCheck> {
  const name = challengeName(domain);
  const expected = challengeValue(token);
  const doubled = `${name}.${domain}`;
  // Both at once: a verification waits for one lookup's time, not two.
  const [records, atDoubled] = await Promise.all([
    txtRecords(name),
    options.diagnose ? txtRecords(doubled) : Promise.resolve(undefined),
  ]);
  if (records === undefined) return { result: 'failed' };
  if (records.includes(expected)) return { result: 'found' };
  if (atDoubled?.includes(expected)) return { result: 'misplaced', name, publishedAt: doubled };
  if (records.length === 0) return { result: 'notFound', name };
  return { result: 'mismatch', name, found: records.length, expected };
}
