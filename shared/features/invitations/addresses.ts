import * as z from 'zod/mini';
import { AppError, errorCatalogue } from '../../core/errors';
import { maxEmailLength } from '../../core/text';

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
export function parseAddresses(emails: string | string[]): {
  valid: string[];
  invalid: AddressProblem[];
  /** Where each address first stood in the request, for error paths (`emails.3`). */
  positions: Map<string, number>;
} {
  const entries = (Array.isArray(emails) ? emails : emails.split(/[,;\n]/))
    .map((entry, index) => ({ email: entry.trim().toLowerCase(), index }))
    .filter((entry) => entry.email !== '');
  if (entries.length === 0) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      fieldErrors: [{ path: 'emails', message: 'Give at least one email address.' }],
    });
  }
  if (entries.length > maxInvitationsPerRequest) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      fieldErrors: [
        {
          path: 'emails',
          message: `Invite at most ${maxInvitationsPerRequest} addresses per request (${entries.length} given).`,
        },
      ],
    });
  }
  const valid: string[] = [];
  const invalid: AddressProblem[] = [];
  const positions = new Map<string, number>();
  for (const { email, index } of entries) {
    if (positions.has(email)) continue;
    positions.set(email, index);
    if (email.length <= maxEmailLength && emailFormat.safeParse(email).success) valid.push(email);
    else invalid.push({ email, code: 'INVALID_EMAIL', message: errorCatalogue.INVALID_EMAIL.message });
  }
  return { valid, invalid, positions };
}
