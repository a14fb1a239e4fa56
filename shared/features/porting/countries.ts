/**
 * Region codes ICU names that are not ISO 3166-1 alpha-2 countries: the
 * exceptionally reserved ones (Ascension, Canary Islands…), unions and
 * pseudo-regions. Kosovo's XK, user-assigned but what carriers use, stays.
 */
const notCountries = new Set(['AC', 'CP', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ']);

let names: Intl.DisplayNames | undefined;

/** An ISO 3166-1 alpha-2 code, in capitals: the runtime's own region data, no list to bundle. */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || notCountries.has(code)) return false;
  names ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  return names.of(code) !== undefined;
}
