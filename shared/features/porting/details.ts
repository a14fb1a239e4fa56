import { AppError } from '../../core/errors';
import { dayMs } from '../../core/time';
import { parseNumber } from '../numbers/phone';

/** The details a request names, as sent (a correction sends only some). */
export interface DetailsInput {
  phoneNumber?: string | undefined;
  billingTelephoneNumber?: string | null | undefined;
  requestedPortDate?: string | null | undefined;
}

const invalidDate = (message: string) =>
  new AppError('VALIDATION_FAILED', undefined, { fieldErrors: [{ path: 'requestedPortDate', message }] });

/** `YYYY-MM-DD` of an instant, on a clock `offsetHours` from UTC. */
const dayAt = (instant: number, offsetHours: number) =>
  new Date(instant + offsetHours * 3_600_000).toISOString().slice(0, 10);

/**
 * A port date is a real day, today or later, within a year. "Today" is the
 * earliest date anywhere on Earth (UTC−12), so that nobody, wherever they
 * are, is refused their own today.
 */
function checkPortDate(date: string, now: Date): void {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date)
    throw invalidDate('This day does not exist.');
  if (date < dayAt(now.getTime(), -12)) throw invalidDate('Give today or a later day.');
  if (date > dayAt(now.getTime() + 365 * dayMs, 14)) throw invalidDate('Give a day within a year from now.');
}

/** The request's own 400s that its schema cannot say: the numbers and the date. */
export function checkDetails(input: DetailsInput, now: Date): void {
  if (input.phoneNumber !== undefined) parseNumber(input.phoneNumber, 'phoneNumber');
  if (input.billingTelephoneNumber) parseNumber(input.billingTelephoneNumber, 'billingTelephoneNumber');
  if (input.requestedPortDate) checkPortDate(input.requestedPortDate, now);
}

/** A correction's own 400s: nothing to change, or a cancellation mixed with corrections. */
export function checkCorrection(input: DetailsInput & { status?: string | undefined }, now: Date): void {
  const { status, ...corrections } = input;
  const given = Object.values(corrections).filter((value) => value !== undefined).length;
  if (status === undefined && given === 0) throw new AppError('EMPTY_UPDATE');
  if (status !== undefined && given > 0) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      fieldErrors: [
        { path: 'status', message: 'Cancel alone: send {"status": "cancelled"} without corrections.' },
      ],
    });
  }
  checkDetails(input, now);
}
