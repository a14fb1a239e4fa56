import { AppError } from '../core/errors';
import { open, seal } from '../core/secrets';

type Key = Record<string, unknown>;

const purpose = 'list cursors';
/** The list and scope a cursor belongs to: authenticated with it, never inside it. */
const boundTo = (list: string, scope: string) => JSON.stringify([list, scope]);

/**
 * An opaque cursor: the last key read, encrypted with AES-256-GCM, with the
 * list's name and scope (e.g. the workspace and the filters) as associated
 * data. Clients see no key layout; a tampered cursor, or one from another
 * list or scope, fails to decrypt.
 */
export function encodeCursor(list: string, scope: string, lastKey: Key): string {
  return seal(purpose, boundTo(list, scope), JSON.stringify(lastKey));
}

export function decodeCursor(cursor: string, list: string, scope: string): Key {
  const plain = /^[\w-]+$/.test(cursor) ? open(purpose, boundTo(list, scope), cursor) : undefined;
  if (plain === undefined) throw new AppError('INVALID_CURSOR');
  return JSON.parse(plain) as Key;
}
