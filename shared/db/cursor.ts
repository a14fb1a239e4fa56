import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors';

type Key = Record<string, unknown>;

const ivBytes = 12;
const tagBytes = 16;

let cachedKey: Buffer | undefined;
/** A 256-bit AES key derived from CURSOR_SIGNING_KEY, once per execution environment. */
function cursorKey(): Buffer {
  if (cachedKey) return cachedKey;
  const secret = process.env.CURSOR_SIGNING_KEY;
  if (!secret) throw new Error('Missing environment variable CURSOR_SIGNING_KEY');
  cachedKey = Buffer.from(hkdfSync('sha256', secret, 'switchboard', 'list cursors', 32));
  return cachedKey;
}

/** The list and scope a cursor belongs to: authenticated with it, never inside it. */
const boundTo = (list: string, scope: string) => Buffer.from(JSON.stringify([list, scope]));

/**
 * An opaque cursor: the last key read, encrypted with AES-256-GCM, with the
 * list's name and scope (e.g. the workspace and the filters) as associated
 * data. Clients see no key layout; a tampered cursor, or one from another
 * list or scope, fails to decrypt.
 */
export function encodeCursor(list: string, scope: string, lastKey: Key): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', cursorKey(), iv);
  cipher.setAAD(boundTo(list, scope));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(lastKey), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

export function decodeCursor(cursor: string, list: string, scope: string): Key {
  if (!/^[\w-]+$/.test(cursor)) throw new AppError('INVALID_CURSOR');
  const raw = Buffer.from(cursor, 'base64url');
  if (raw.length <= ivBytes + tagBytes) throw new AppError('INVALID_CURSOR');
  const key = cursorKey();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, ivBytes));
    decipher.setAAD(boundTo(list, scope));
    decipher.setAuthTag(raw.subarray(raw.length - tagBytes));
    const plain = Buffer.concat([
      decipher.update(raw.subarray(ivBytes, raw.length - tagBytes)),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as Key;
  } catch {
    throw new AppError('INVALID_CURSOR');
  }
}
