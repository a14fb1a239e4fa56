import * as z from 'zod/mini';
import { AppError, errorCatalogue } from '../http/errors';

export const maxInvitationsPerRequest = 100;

const emailFormat = z.email();

export interface AddressProblem {
  email: string;
  code: 'INVALID_EMAIL';
  message: string;
}

/**
 * The addresses of an invitation request, as typed: a list, or one string
 * separated by commas (semicolons and line breaks too, as pasted from a mail
 * client). Trimmed, lower-cased and de-duplicated, in their first order.
 */
export function parseAddresses(emails: string | string[]): { valid: string[]; invalid: AddressProblem[] } {
  const entries = (Array.isArray(emails) ? emails : emails.split(/[,;\n]/))
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  if (entries.length === 0) {
    throw new AppError('VALIDATION_FAILED', undefined, [
      { path: 'emails', message: 'Give at least one email address.' },
    ]);
  }
  if (entries.length > maxInvitationsPerRequest) {
    throw new AppError('VALIDATION_FAILED', undefined, [
      {
        path: 'emails',
        message: `Invite at most ${maxInvitationsPerRequest} addresses per request (${entries.length} given).`,
      },
    ]);
  }
  const valid: string[] = [];
  const invalid: AddressProblem[] = [];
  for (const email of new Set(entries)) {
    if (email.length <= 254 && emailFormat.safeParse(email).success) valid.push(email);
    else invalid.push({ email, code: 'INVALID_EMAIL', message: errorCatalogue.INVALID_EMAIL.message });
  }
  return { valid, invalid };
}
