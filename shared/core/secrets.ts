import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const cache = new Map<string, Buffer>();

/**
 * A 256-bit key for one purpose ("list cursors", "outbox messages"), derived
 * with HKDF from the service secret (SERVICE_SECRET), once per execution
 * environment: one secret to configure, no key serving two purposes.
 */
function keyFor(purpose: string): Buffer {
  const cached = cache.get(purpose);
  if (cached) return cached;
  const secret = process.env.SERVICE_SECRET;
  if (!secret) throw new Error('Missing environment variable SERVICE_SECRET');
  const key = Buffer.from(hkdfSync('sha256', secret, 'switchboard', purpose, 32));
  cache.set(purpose, key);
  return key;
}

const ivBytes = 12;
const tagBytes = 16;

/** AES-256-GCM under `key`: the 12-byte IV, the ciphertext and the 16-byte tag, bound to `context` (associated data). */
export function sealWithKey(key: Buffer, context: string, plaintext: string): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The plaintext of `sealWithKey`, or undefined for anything tampered, truncated or sealed for another context. */
export function openWithKey(key: Buffer, context: string, sealed: string): string | undefined {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length <= ivBytes + tagBytes) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, ivBytes));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(raw.length - tagBytes));
    return Buffer.concat([
      decipher.update(raw.subarray(ivBytes, raw.length - tagBytes)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The plaintext sealed under the purpose's key, bound to `context`. */
export const seal = (purpose: string, context: string, plaintext: string) =>
  sealWithKey(keyFor(purpose), context, plaintext);

/** The plaintext of `seal`, or undefined for anything tampered, truncated or sealed for another context. */
export const open = (purpose: string, context: string, sealed: string) =>
  openWithKey(keyFor(purpose), context, sealed);
