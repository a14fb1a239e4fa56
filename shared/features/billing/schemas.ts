import * as z from 'zod/mini';
import { plans, workspaceStatuses } from '../../access/tenancy';
import { isoTime } from '../../http/schemas';

export const moneySchema = z.object({
  amountCents: z.int().check(z.describe('Integer cents, never negative')),
  currency: z.string().check(z.describe('ISO 4217 (USD)')),
});

const day = z.string().check(z.describe('A UTC day, YYYY-MM-DD'));

export const billingSchema = z.object({
  plan: z.enum(plans),
  status: z.enum(workspaceStatuses),
  periodStart: day,
  periodEnd: day.check(z.describe('The day the period ends (exclusive) and the next one is charged')),
  seats: z.int(),
  numbers: z.int(),
  includedNumbers: z.int(),
  extraNumbers: z.int(),
  prices: z.object({
    seatMonthly: moneySchema,
    seatAnnual: moneySchema,
    extraNumberMonthly: moneySchema,
    extraNumberAnnual: moneySchema,
  }),
  renewal: z.object({ at: day, amount: moneySchema }),
  creditBalance: moneySchema,
  due: moneySchema,
});

const lineKinds = ['charge', 'credit', 'creditApplied', 'creditExpired'] as const;
const lineReasons = [
  'seat.added',
  'seat.removed',
  'number.added',
  'number.removed',
  'plan.changed',
  'renewal',
  'cancellation',
] as const;

const lineFields = {
  at: isoTime,
  kind: z.enum(lineKinds),
  reason: z.enum(lineReasons),
  quantity: z.int(),
  unitAnnual: moneySchema,
  days: z.int().check(z.describe('Days billed: from the change’s day (inclusive) to the period’s end')),
  daysInPeriod: z.int(),
  amount: moneySchema,
  periodStart: day,
  periodEnd: day,
  balanceAfter: moneySchema,
  subject: z.object({ type: z.string(), id: z.string() }),
};

export const ledgerLineSchema = z.object({ id: z.string(), ...lineFields });

/** How far a preview may reach: beyond this, a workspace is no longer a team's. */
const maxChange = 10_000;
const delta = (what: string) =>
  z.optional(
    z
      .int()
      .check(
        z.minimum(-maxChange),
        z.maximum(maxChange),
        z.describe(`${what} added (positive) or removed (negative)`),
      ),
  );

export const previewBody = z.strictObject({
  seats: delta('Seats'),
  numbers: delta('Numbers'),
  plan: z.optional(z.enum(plans)),
});

export const previewSchema = z.object({
  lines: z.array(z.object(lineFields)),
  creditApplied: moneySchema,
  due: moneySchema.check(z.describe('What the change adds to what is due, once the credit is applied')),
  balanceAfter: moneySchema,
});

export const planBody = z.strictObject({ plan: z.enum(plans) });
