import * as z from 'zod/mini';
import { maxNameLength, printableOnly, visibleCharacter } from '../../core/text';
import { idString, isoTime, pageQuery, workspaceIdParam } from '../../http/schemas';
import { isCountryCode } from './countries';
import { carrierStatuses, portingStatuses } from './items';

export const portingParams = z.strictObject({
  workspaceId: workspaceIdParam,
  portingRequestId: idString('Porting request id (PR…)'),
});

export const listPortingQuery = z.strictObject({
  ...pageQuery,
  status: z.optional(z.enum(portingStatuses)),
});

/** A line of text someone types: trimmed, no control characters, something visible, at most `max`. */
const text = (max: number, description: string) =>
  z
    .string()
    .check(
      z.trim(),
      z.normalize('NFC'),
      z.minLength(1),
      z.maxLength(max),
      z.regex(printableOnly, { error: 'Use no control characters.' }),
      z.regex(visibleCharacter, { error: 'Use at least one visible character.' }),
      z.describe(description),
    );

const e164Input = (description: string) =>
  z.string().check(z.minLength(1), z.maxLength(32), z.describe(description));

const addressInput = z.strictObject({
  line1: text(200, 'Street address'),
  line2: z.optional(z.nullable(text(200, 'Apartment, suite, floor'))),
  city: text(100, 'City'),
  region: text(100, 'State, province or region'),
  postalCode: text(20, 'Postal code'),
  country: z
    .string()
    .check(
      z.refine(isCountryCode, { error: 'Use an ISO 3166-1 alpha-2 country code in capitals (US, FR, GB).' }),
      z.describe('ISO 3166-1 alpha-2 (US, FR, GB)'),
    ),
});

const accountHolderInput = z.strictObject({
  name: text(maxNameLength, 'The name on the carrier account (a person or the company)'),
  address: addressInput,
});

/**
 * The carrier account's PIN or passcode, exactly as typed (never trimmed):
 * 1 to 32 printable characters. Error messages never echo it.
 */
const pinInput = z
  .string()
  .check(
    z.minLength(1, { error: 'Give the carrier account PIN.' }),
    z.maxLength(32, { error: 'At most 32 characters.' }),
    z.regex(/^[\x21-\x7e]+$/, { error: 'Use letters, digits and symbols, without spaces.' }),
    z.describe('The carrier account PIN or passcode: write-only, never returned'),
  );

const portDateInput = z
  .string()
  .check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Give a date as YYYY-MM-DD.' }),
    z.describe('The day you would like the number to move (YYYY-MM-DD): today or later, within a year'),
  );

const details = {
  phoneNumber: e164Input('The number to bring over, in international format (+14155550123)'),
  carrier: text(100, 'The carrier the number is with now'),
  accountNumber: text(64, 'The account number at that carrier: kept for the carrier, shown masked'),
  pin: pinInput,
  accountHolder: accountHolderInput,
  billingTelephoneNumber: z.optional(
    z.nullable(e164Input('The account’s main (billing) number, if the carrier asks for it')),
  ),
  requestedPortDate: z.optional(z.nullable(portDateInput)),
  assignTo: z.optional(
    z.nullable(idString('A member who gets the number when the port completes (exclusive, number owner)')),
  ),
};

export const submitPortingBody = z.strictObject(details);

/** Corrections (any field; `accountHolder` is replaced whole), or `{status: "cancelled"}` alone. */
export const updatePortingBody = z.strictObject({
  phoneNumber: z.optional(details.phoneNumber),
  carrier: z.optional(details.carrier),
  accountNumber: z.optional(details.accountNumber),
  pin: z.optional(details.pin),
  accountHolder: z.optional(details.accountHolder),
  billingTelephoneNumber: details.billingTelephoneNumber,
  requestedPortDate: details.requestedPortDate,
  assignTo: details.assignTo,
  status: z.optional(
    z.literal('cancelled').check(z.describe('Cancel the request (alone, before completed)')),
  ),
});

export const carrierStatusBody = z.strictObject({
  status: z.enum(carrierStatuses),
  reason: z.optional(
    text(
      500,
      'With action-required and cancelled (and only then): what the workspace must correct, or why the port is refused',
    ),
  ),
  updatedAt: z.optional(
    z
      .string()
      .check(
        z.maxLength(64),
        z.describe(
          'The request’s updatedAt as you read it: refused (409 CONCURRENT_UPDATE) if the workspace corrected it since',
        ),
      ),
  ),
});

const addressSchema = z.object({
  line1: z.string(),
  line2: z.nullable(z.string()),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string(),
});

export const portingRequestSchema = z.object({
  id: z.string(),
  phoneNumber: z.string().check(z.describe('E.164')),
  carrier: z.string(),
  accountNumberMasked: z.string().check(z.describe('The last four characters only: ••••1234')),
  pinSet: z.literal(true).check(z.describe('A PIN is on file; it is never returned')),
  accountHolder: z.object({ name: z.string(), address: addressSchema }),
  billingTelephoneNumber: z.nullable(z.string()),
  requestedPortDate: z.nullable(z.string()),
  assignTo: z.nullable(z.string()),
  status: z.enum(portingStatuses),
  reason: z.nullable(
    z
      .string()
      .check(
        z.describe('The carrier’s reason: what to correct (action-required), or why it refused (cancelled)'),
      ),
  ),
  phoneNumberId: z.nullable(z.string().check(z.describe('The number added, once completed'))),
  createdAt: isoTime,
  updatedAt: isoTime,
  createdBy: z.string(),
});

/** The carrier's view: the request with the account number whole and the PIN decrypted. */
export const carrierPortingSchema = z.object({
  ...portingRequestSchema.shape,
  workspaceId: z.string(),
  accountNumber: z.string(),
  pin: z.string().check(z.describe('The carrier account PIN, decrypted for this read (audited)')),
});
