import { dayMs } from '../../core/time';

/** A UTC calendar day, `YYYY-MM-DD`: the unit of every period and proration. */
export type Day = string;

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC day of an instant. */
export const dayOf = (instant: Date): Day => instant.toISOString().slice(0, 10);

const midnight = (day: Day) => {
  if (!dayPattern.test(day)) throw new Error(`Not a day: ${day}`);
  return Date.parse(`${day}T00:00:00Z`);
};

/** Days from `from` (inclusive) to `to` (exclusive); negative when `to` comes first. */
export const daysBetween = (from: Day, to: Day) => Math.round((midnight(to) - midnight(from)) / dayMs);

/**
 * The end of the annual period that starts on `start`: the same calendar
 * day a year later, and 1 March for a period that starts on 29 February
 * (so 365 or 366 days).
 */
export function periodEndOf(start: Day): Day {
  const [year, month, day] = start.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(year + 1, month - 1, day));
  // Date.UTC rolls 29 February of a common year over to 1 March, as the rule says.
  return dayOf(end);
}

/**
 * The proration rule, the one place money is computed from time:
 *
 *   amount = round(quantity × annualUnitCents × remainingDays / periodDays)
 *
 * where `remainingDays` counts from the change's UTC day (inclusive) to the
 * period's end (exclusive) and `periodDays` is the period's length (365 or
 * 366). The product is exact in integers (BigInt), and the one division is
 * rounded once, half up: `floor((2n + d) / 2d)`. Never per unit, never in floating point. So a
 * seat added on the period's first day costs exactly its annual price, and a
 * seat added and removed on the same day moves the same amount both ways.
 */
export function prorate(
  quantity: number,
  annualUnitCents: number,
  remainingDays: number,
  periodDays: number,
): number {
  for (const value of [quantity, annualUnitCents, remainingDays, periodDays]) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(`Proration takes whole numbers ≥ 0, not ${value}`);
  }
  if (periodDays === 0) throw new Error('A period has at least one day');
  // In BigInt: the quotient is exact whatever the size, and floored once.
  const amount =
    (2n * BigInt(quantity) * BigInt(annualUnitCents) * BigInt(remainingDays) + BigInt(periodDays)) /
    (2n * BigInt(periodDays));
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('Amount beyond exact integer cents');
  return Number(amount);
}
