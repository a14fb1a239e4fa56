import { TZDate } from '@date-fns/tz';
import * as z from 'zod/mini';

/**
 * Weekly hours in a time zone, with dated overrides: the business hours of a
 * phone number, and a member's availability. Everything is read on the local
 * wall clock, so DST nights need no special case: the skipped hour is never
 * reached and the repeated hour is reached twice.
 */

const weekDays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
type WeekDay = (typeof weekDays)[number];

// Built on first validation, not at import: listing the zones would slow a Lambda's cold start.
let zones: Set<string> | undefined;

function isTimeZone(name: string): boolean {
  zones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (zones.has(name) || name === 'UTC') return true;
  // ICU lists some zones under their old names (Asia/Calcutta, Europe/Kiev): take the current
  // ones (Asia/Kolkata, Europe/Kyiv) when Intl resolves them into the list. Capitalised like an
  // IANA name, so that "asia/kolkata" and offsets such as "+05:30" stay out.
  if (!/^[A-Z][\w+-]*(?:\/[A-Z][\w+-]*)*$/.test(name)) return false;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    return resolved === 'UTC' || zones.has(resolved);
  } catch {
    return false; // a RangeError: Intl knows no such zone
  }
}

const startPattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
// 00:00 ends nothing; 24:00 is the end of the local day, however long DST makes it.
const endPattern = /^(?!00:00$)(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

// Zero-padded HH:MM strings compare like the times they name.
const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const interval = z
  .strictObject({
    start: z
      .string()
      .check(
        z.regex(startPattern, { error: 'Use a start time from 00:00 to 23:59 (HH:MM).' }),
        z.describe('Opening time, local HH:MM, included'),
      ),
    end: z
      .string()
      .check(
        z.regex(endPattern, { error: 'Use an end time from 00:01 to 24:00 (HH:MM).' }),
        z.describe('Closing time, local HH:MM, excluded; 24:00 is the end of the day'),
      ),
  })
  .check(
    z.superRefine((value, ctx) => {
      // A malformed time already has its own issue; comparing it would only add noise.
      if (!startPattern.test(value.start) || !endPattern.test(value.end)) return;
      if (value.start >= value.end) {
        ctx.addIssue({ code: 'custom', path: ['end'], message: 'The end must be later than the start.' });
      }
    }),
  );

const intervals = z.array(interval).check(
  z.maxLength(6),
  z.superRefine((list, ctx) => {
    for (const [index, current] of list.entries()) {
      const before = list[index - 1];
      if (!before || !startPattern.test(before.start) || !startPattern.test(current.start)) continue;
      // Touching is fine (12:00 ends one, 12:00 starts the next): the end is excluded.
      const message =
        current.start < before.start
          ? 'List the intervals of a day by start time.'
          : endPattern.test(before.end) && current.start < before.end
            ? 'This interval overlaps the one before it.'
            : undefined;
      if (message) ctx.addIssue({ code: 'custom', path: [index, 'start'], message });
    }
  }),
);

const day = z.optional(
  intervals.check(z.describe('Open intervals of the day, by start time; a missing day is closed all day')),
);

const override = z.strictObject({
  date: z.iso
    .date({ error: 'Use a real calendar date (YYYY-MM-DD).' })
    .check(z.describe('The local date it replaces')),
  intervals: intervals.check(
    z.describe('Open intervals of that date instead of the weekly ones; empty: closed all day'),
  ),
  note: z.optional(
    z.string().check(z.minLength(1), z.maxLength(100), z.describe('Why, for people: Christmas Eve')),
  ),
});

export const hoursSchema = z.strictObject({
  timeZone: z
    .string()
    .check(
      z.refine(isTimeZone, { error: 'Use an IANA time zone such as Europe/Paris.' }),
      z.describe('The IANA time zone the hours are read in: America/New_York'),
    ),
  weekly: z
    .strictObject({
      monday: day,
      tuesday: day,
      wednesday: day,
      thursday: day,
      friday: day,
      saturday: day,
      sunday: day,
    })
    .check(z.describe('Open intervals of each day of the week, local time')),
  overrides: z.array(override).check(
    z.maxLength(366),
    z.superRefine((list, ctx) => {
      const seen = new Set<string>();
      for (const [index, { date }] of list.entries()) {
        if (seen.has(date)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'date'],
            message: 'This date already has an override.',
          });
        }
        seen.add(date);
      }
    }),
    z.describe('Dates whose hours differ from the week: holidays, closures, special hours'),
  ),
});

export type Hours = z.infer<typeof hoursSchema>;

/** The local wall clock of an instant in a zone. */
export function wallClockAt(
  timeZone: string,
  at: Date,
): { date: string; weekDay: WeekDay; minutes: number; localTime: string } {
  const local = new TZDate(at.getTime(), timeZone);
  // TZDate writes the local time with the zone's offset at that instant; drop the milliseconds.
  const localTime = local.toISOString().replace(/\.\d{3}(?=[+-])/, '');
  return {
    date: localTime.slice(0, 10),
    weekDay: weekDays[(local.getDay() + 6) % 7] as WeekDay, // getDay() counts from Sunday
    minutes: local.getHours() * 60 + local.getMinutes(),
    localTime,
  };
}

/** Whether `hours` is open at `at` (null = always open). */
export function isOpenAt(hours: Hours | null, at: Date): boolean {
  if (hours === null) return true;
  const { date, weekDay, minutes } = wallClockAt(hours.timeZone, at);
  // An override replaces the whole local day, also when it closes it (no intervals).
  const today = hours.overrides.find((o) => o.date === date)?.intervals ?? hours.weekly[weekDay] ?? [];
  return today.some(({ start, end }) => toMinutes(start) <= minutes && minutes < toMinutes(end));
}
