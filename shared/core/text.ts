/** The longest email address SMTP allows (RFC 5321: a 254-character path). */
export const maxEmailLength = 254;
/** The longest id the API takes (an OpenID Connect `sub` may be 255 characters), and the longest key or header value. */
export const maxIdLength = 255;
/** The longest name shown: a person's, from a token's `name` claim. */
export const maxNameLength = 200;

/** A shown name holds no control characters (Cc) and no lone UTF-16 surrogates (Cs). */
export const printableOnly = /^[^\p{Cc}\p{Cs}]*$/u;
/** At least one of these makes a name visible (not only spaces or marks). */
export const visibleCharacter = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * A name someone else typed (a token's `name` claim), made fit to show, sort
 * and email: the same rules a workspace name is held to, applied instead of
 * refused. Control characters become spaces, lone surrogates go, the result
 * is NFC, trimmed and at most `maxLength` characters.
 */
export function cleanName(raw: string, maxLength: number): string {
  const cleaned = raw
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\p{Cs}/gu, '')
    .normalize('NFC')
    .trim();
  const name = [...cleaned].slice(0, maxLength).join('').trim();
  return visibleCharacter.test(name) ? name : '';
}
