import { domainToASCII } from 'node:url';
import { AppError } from '../../core/errors';

/** An ASCII host name: labels of letters, digits and inner hyphens, at most 253 characters. */
export const asciiDomainPattern =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** The domain of an address: after the last `@`, lower case, no trailing dot, internationalized names in ASCII. */
export function domainOfEmail(email: string): string {
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

/** Parents a join looks up at most: deeper names than this are not worth a key each. */
const maxJoinParents = 8;

/** `a.eu.acme.com` → `eu.acme.com`, `acme.com`: the names above it of two labels or more, nearest first. */
export function parentsOf(domain: string, limit = Number.POSITIVE_INFINITY): string[] {
  const parents: string[] = [];
  for (let name = domain; parents.length < limit; ) {
    name = name.slice(name.indexOf('.') + 1);
    if (!name.includes('.')) break;
    parents.push(name);
  }
  return parents;
}

/**
 * The verified domains that may match an address, most specific first: its
 * own domain, then its parents (which match only with `includeSubdomains`).
 * Without the Public Suffix List, on purpose: claiming refuses public
 * suffixes and email providers, so the parents among them (`co.uk`) are
 * never held and cost only a key of the same read; joining stays light.
 */
export function domainsMatching(email: string): { domain: string; exact: boolean }[] {
  let domain: string;
  try {
    domain = domainOfEmail(email);
  } catch {
    return [];
  }
  if (!asciiDomainPattern.test(domain)) return [];
  return [
    { domain, exact: true },
    ...parentsOf(domain, maxJoinParents).map((parent) => ({ domain: parent, exact: false })),
  ];
}
