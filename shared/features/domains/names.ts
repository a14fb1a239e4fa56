import { domainToASCII } from 'node:url';
import providers from 'email-providers/all.json' with { type: 'json' };
import { parse } from 'tldts';
import { AppError } from '../../core/errors';
import { challengeName } from './dns';
import ownList from './free-providers.json' with { type: 'json' };

/** Public and free email providers: the package's full list, and ours for those it misses. */
const freeProviders = new Set<string>([...providers, ...ownList.domains]);

/** An ASCII host name: labels of letters, digits and inner hyphens, at most 253 characters. */
export const asciiDomainPattern =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * Top-level names reserved for networks that are not the public DNS (mDNS,
 * private networks, Tor, …): nobody can publish a record there for us to
 * see. `test` and `example` stay claimable, for trying the service out.
 */
const nonPublicSuffixes = new Set(['localhost', 'invalid', 'local', 'internal', 'onion', 'alt', 'home.arpa']);
const onNonPublicSuffix = (domain: string) =>
  [...nonPublicSuffixes].some((suffix) => domain === suffix || domain.endsWith(`.${suffix}`));

// The Public Suffix List's private section counts too: github.io, herokuapp.com and the like are suffixes.
const parseHost = (host: string) => parse(host, { allowPrivateDomains: true });

/** The domain of an address: after the last `@`, lower case, no trailing dot, internationalized names in ASCII. */
function domainOfEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  if (at < 1 || /[\s@]/u.test(local) || /\p{Cc}/u.test(email)) throw new AppError('INVALID_EMAIL');
  const host = email
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  // An address literal (`user@[192.0.2.1]`) is an IP address, which no one claims.
  if (/^\[.*\]$/.test(host)) throw new AppError('DOMAIN_NOT_REGISTRABLE');
  // domainToASCII gives '' for a name that cannot be one (empty labels, forbidden characters).
  const ascii = host && !/\s/u.test(host) ? domainToASCII(host) : '';
  if (!ascii) throw new AppError('INVALID_EMAIL');
  return ascii;
}

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
  if (withParents(domain, parsed.domain).some((name) => freeProviders.has(name))) {
    throw new AppError('DOMAIN_FREE_PROVIDER');
  }
  return domain;
}

/** `eu.acme.com` under `acme.com` → `eu.acme.com`, `acme.com`. */
function withParents(domain: string, registrable: string): string[] {
  const names = [domain];
  for (let name = domain; name !== registrable && name.includes('.'); ) {
    name = name.slice(name.indexOf('.') + 1);
    names.push(name);
  }
  return names;
}

/**
 * The verified domains that may match an address, most specific first: its
 * own domain, then each parent up to the registrable domain (which match only
 * with `includeSubdomains`). None for a public provider's address, or one
 * that is no domain: nobody can have claimed those.
 */
export function domainsMatching(email: string): { domain: string; exact: boolean }[] {
  let domain: string;
  try {
    domain = domainOfEmail(email);
  } catch {
    return [];
  }
  const registrable = parseHost(domain).domain;
  if (!registrable) return [];
  const names = withParents(domain, registrable);
  if (names.some((name) => freeProviders.has(name))) return [];
  return names.map((name, index) => ({ domain: name, exact: index === 0 }));
}
