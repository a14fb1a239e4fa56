import * as z from 'zod/mini';
import { decisionReasons, numberActions } from '../../access/numbers';
import { numberAccessLevels } from '../../access/roles';
import { printableOnly, visibleCharacter } from '../../core/text';
import { idString, isoTime, pageQuery, workspaceIdParam } from '../../http/schemas';
import { hoursSchema } from './hours';
import { callActions, ringModes } from './items';

const phoneNumberIdParam = idString('Phone number id (PN…)');
const userIdParam = idString('User id (the identity provider’s sub)');

export const phoneNumberParams = z.strictObject({
  workspaceId: workspaceIdParam,
  phoneNumberId: phoneNumberIdParam,
});
export const numberMemberParams = z.strictObject({
  workspaceId: workspaceIdParam,
  phoneNumberId: phoneNumberIdParam,
  userId: userIdParam,
});
export const e164Params = z.strictObject({
  e164: z
    .string()
    .check(z.minLength(2), z.maxLength(32), z.describe('The number in E.164 form (+14155550123)')),
});

export const listNumbersQuery = z.strictObject({
  userId: z.optional(userIdParam.check(z.describe('Only the numbers this member holds'))),
  ...pageQuery,
});

const numberInput = z
  .string()
  .check(z.minLength(1), z.maxLength(32), z.describe('The number in international format (+14155550123)'));

// The inbox's name, shown to the team.
const inboxName = z
  .string()
  .check(
    z.trim(),
    z.normalize('NFC'),
    z.minLength(1),
    z.maxLength(64),
    z.regex(printableOnly, { error: 'Use no control characters.' }),
    z.regex(visibleCharacter, { error: 'Use at least one visible character.' }),
  );

// What the called party sees: the caller-name limit of North American networks.
const callerIdName = z.nullable(
  z.string().check(
    z.maxLength(15, { error: 'At most 15 characters (the caller-name limit of North American networks).' }),
    z.regex(/^[A-Za-z0-9 .,'&-]+$/, {
      error: "Use only letters A-Z, digits, spaces and . , ' & - (what caller ID displays).",
    }),
    z.describe("What the called party sees: at most 15 characters, A-Z, 0-9, spaces and .,'&-"),
  ),
);

export const addNumberBody = z.strictObject({
  number: numberInput,
  name: z.optional(inboxName),
  callerIdName: z.optional(callerIdName),
});

const outcomeSchema = z
  .strictObject({
    action: z.enum(callActions),
    forwardTo: z.optional(
      z.nullable(numberInput.check(z.describe('With forward only: where the call goes (E.164)'))),
    ),
  })
  .check(
    z.refine((outcome) => outcome.action === 'forward' || !outcome.forwardTo, {
      path: ['forwardTo'],
      error: 'Give forwardTo only with the forward action.',
    }),
    z.refine((outcome) => outcome.action !== 'forward' || Boolean(outcome.forwardTo), {
      path: ['forwardTo'],
      error: 'The forward action needs forwardTo, the number calls go to.',
    }),
  );

const callFlowInput = z.strictObject({
  ringTimeoutSeconds: z.optional(z.int().check(z.minimum(10), z.maximum(120))),
  unanswered: z.optional(outcomeSchema),
  afterHours: z.optional(outcomeSchema),
});

export const updateNumberBody = z.strictObject({
  name: z.optional(inboxName),
  callerIdName: z.optional(callerIdName),
  businessHours: z.optional(
    z.nullable(hoursSchema).check(z.describe('null: always open; else weekly hours and dated overrides')),
  ),
  callFlow: z.optional(callFlowInput.check(z.describe('Fields given replace the current ones'))),
});

export const grantAccessBody = z
  .strictObject({
    access: z.enum(numberAccessLevels),
    numberOwner: z.optional(
      z.boolean().check(z.describe('Fully controls this number (exclusive or shared access only)')),
    ),
  })
  .check(
    z.refine((body) => !(body.numberOwner && body.access === 'read-only'), {
      path: ['numberOwner'],
      error: 'A number owner holds exclusive or shared access, not read-only.',
    }),
  );

export const notificationsBody = z.strictObject({
  calls: z.optional(z.boolean()),
  messages: z.optional(z.boolean()),
  voicemail: z.optional(z.boolean()),
});

export const ringOrderBody = z.strictObject({
  mode: z.enum(ringModes),
  groupSize: z.optional(
    z.int().check(z.minimum(1), z.maximum(10), z.describe('random only: how many ring at a time')),
  ),
  order: z.optional(
    z
      .array(userIdParam)
      .check(z.maxLength(100), z.describe('custom only: every holder with use access, once each')),
  ),
});

export const decisionQuery = z.strictObject({ action: z.enum(numberActions) });
export const serviceDecisionQuery = z.strictObject({ userId: userIdParam, action: z.enum(numberActions) });

const isoInstant =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** An ISO 8601 time with Z or an offset that names a real instant (no 30 February, no hour 25). */
function isInstant(value: string): boolean {
  const parts = isoInstant.exec(value);
  if (!parts) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = parts.slice(1).map(Number);
  const date = new Date(Date.UTC(year as number, (month as number) - 1, day as number));
  return (
    date.getUTCMonth() === (month as number) - 1 &&
    date.getUTCDate() === day &&
    (hour as number) <= 23 &&
    (minute as number) <= 59 &&
    (Number.isNaN(second) || (second as number) <= 59) &&
    (Number.isNaN(offsetHours) || ((offsetHours as number) <= 14 && (offsetMinutes as number) <= 59))
  );
}

export const routingQuery = z.strictObject({
  at: z.optional(
    z.string().check(
      z.refine(isInstant, {
        error: 'Give an ISO 8601 time with Z or an offset (2026-12-24T17:30:00-05:00).',
      }),
      z.describe('The instant to route at (ISO 8601 with Z or an offset); default: now'),
    ),
  ),
});

const notificationsSchema = z.object({ calls: z.boolean(), messages: z.boolean(), voicemail: z.boolean() });

export const holderSchema = z.object({
  userId: z.string(),
  access: z.enum(numberAccessLevels),
  numberOwner: z.boolean(),
  notifications: notificationsSchema,
  historyVisibleFrom: z
    .nullable(isoTime)
    .check(z.describe('Conversations before this instant are hidden from this holder')),
  since: isoTime,
});

const outcomeOutput = z.object({ action: z.enum(callActions), forwardTo: z.nullable(z.string()) });

export const phoneNumberSchema = z.object({
  id: z.string(),
  number: z.string().check(z.describe('E.164')),
  formattedNumber: z.string().check(z.describe('National format')),
  country: z.nullable(z.string().check(z.describe('ISO 3166-1 alpha-2'))),
  name: z.string(),
  callerIdName: z.nullable(z.string()),
  businessHours: z.nullable(hoursSchema),
  callFlow: z.object({ ringTimeoutSeconds: z.int(), unanswered: outcomeOutput, afterHours: outcomeOutput }),
  ringOrder: z.object({
    mode: z.enum(ringModes),
    groupSize: z.nullable(z.int()),
    order: z.nullable(z.array(z.string())),
  }),
  members: z.array(holderSchema),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const decisionSchema = z.object({
  allowed: z.boolean(),
  reason: z.enum(decisionReasons),
  access: z.nullable(z.enum(numberAccessLevels)),
  historyVisibleFrom: z.nullable(isoTime),
  notifications: z.nullable(notificationsSchema),
});

export const routingSchema = z.object({
  open: z.boolean(),
  at: isoTime,
  localTime: z.string().check(z.describe('The instant on the number’s local clock, with its offset')),
  timeZone: z.nullable(z.string().check(z.describe('The business hours’ time zone; null: always open'))),
  waves: z
    .array(z.array(z.string()))
    .check(z.describe('Who rings, wave after wave (user ids); empty when closed')),
  notifications: z
    .record(z.string(), notificationsSchema)
    .check(z.describe('Each member in a wave: their own notification settings for this number')),
  ringTimeoutSeconds: z.int(),
  // biome-ignore lint/suspicious/noThenProperty: the contract's field name; this object is never awaited.
  then: outcomeOutput.check(z.describe('When nobody answers (open), or the after-hours action (closed)')),
});

export const numberLocationSchema = z.object({ workspaceId: z.string(), phoneNumberId: z.string() });
