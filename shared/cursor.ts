import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from './http/errors';

type Key = Record<string, unknown>;

const signingKey = process.env.CURSOR_SIGNING_KEY ?? '';

function sign(payload: string): string {
  if (!signingKey) throw new Error('Missing environment variable CURSOR_SIGNING_KEY');
  return createHmac('sha256', signingKey).update(payload).digest('base64url');
}

/**
 * An opaque, signed cursor bound to one list (its name and scope, e.g. the
 * workspace): a tampered cursor or one from another list is refused.
 */
export function encodeCursor(list: string, scope: string, lastKey: Key): string {
  const payload = Buffer.from(JSON.stringify({ l: list, s: scope, k: lastKey })).toString('base64url');
  return `${payload}.${sign(payload)}`;
}

export function decodeCursor(cursor: string, list: string, scope: string): Key {
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) throw new AppError('INVALID_CURSOR');
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw new AppError('INVALID_CURSOR');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    l: string;
    s: string;
    k: Key;
  };
  if (decoded.l !== list || decoded.s !== scope) throw new AppError('INVALID_CURSOR');
  return decoded.k;
}
