import { createHash, randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = alphabet[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % 32];
  return out;
}

/** The contract's id kinds, and `EM` for an outgoing email (internal: never in an answer). */
export type IdPrefix = 'WS' | 'IV' | 'PN' | 'PR' | 'GR' | 'EV' | 'CT' | 'IN' | 'EM';

/** A prefixed, time-ordered id (ULID layout): later ids sort after earlier ones. */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  return `${prefix}${encodeTime(now)}${encodeRandom(16)}`;
}

/**
 * The same id every time for the same time and seed: lets a retried batch
 * recognise the items its first attempt wrote.
 */
export function derivedId(prefix: IdPrefix, time: number, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (const byte of digest.subarray(0, 16)) out += alphabet[byte % 32];
  return `${prefix}${encodeTime(time)}${out}`;
}
