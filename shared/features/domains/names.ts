import providers from 'email-providers/all.json' with { type: 'json' };
import { parse } from 'tldts';
import { AppError } from '../../core/errors';
import { asciiDomainPattern, domainOfEmail, parentsOf } from './addresses';
import { challengeName } from './dns';
import ownList from './free-providers.json' with { type: 'json' };

/** Public and free email providers: the package's full list, and ours for those it misses. */
const freeProviders = new Set<string>([...providers, ...ownList.domains]);

/**
 * Top-level names reserved for networks that are not the public DNS (mDNS,
 * private networks, Tor, …): nobody can publish a record there for us to
 * see. `test` and `example` stay claimable, for trying the service out.
 */
const nonPublicSuffixes = ['localhost', 'invalid', 'local', 'internal', 'onion', 'alt', 'home.arpa'];
const onNonPublicSuffix = (domain: string) =>
  nonPublicSuffixes.some((suffix) => domain === suffix || domain.endsWith(`.${suffix}`));

// The Public Suffix List's private section counts too: github.io, herokuapp.com and the like are suffixes.
const parseHost = (host: string) => parse(host, { allowPrivateDomains: true });

/**
 * The domain a workspace claims from an address at it, or the refusal:
 * an IP address or anything not a name under a registrable domain, a public
 * suffix, a public email provider.
 */
export function claimableDomain(email: string): string {
  const domain = domainOfEmail(email);
  const parsed = parseHost(domain);
  if (parsed.isIp || !parsed.hostname) throw new AppError('DOMAIN_NOT_REGISTRABLE');
  if (!parsed.domain) {
    // A known suffix (com, co.uk, github.io), or a name no registry hands out (localhost).
    throw new AppError(
      parsed.isIcann || parsed.isPrivate ? 'DOMAIN_PUBLIC_SUFFIX' : 'DOMAIN_NOT_REGISTRABLE',
    );
  }
  // Host names only (no underscores or other characters DNS allows but mail domains never have), short
  // enough for the record's name to be one, and on the public DNS.
  if (!asciiDomainPattern.test(domain) || challengeName(domain).length > 253 || onNonPublicSuffix(domain)) {
    throw new AppError('DOMAIN_NOT_REGISTRABLE');
  }
  const registrable = parsed.domain;
  const upToRegistrable = [domain, ...parentsOf(domain).filter((name) => name.endsWith(registrable))];
  if (upToRegistrable.some((name) => freeProviders.has(name))) {
    throw new AppError('DOMAIN_FREE_PROVIDER');
  }
  return domain;
}
