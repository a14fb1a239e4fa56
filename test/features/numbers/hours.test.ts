import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { type Hours, hoursSchema, isOpenAt, wallClockAt } from '../../../shared/features/numbers/hours';

const closedWeek = { timeZone: 'UTC', weekly: {}, overrides: [] };

/** The paths of every issue, or [] when the input parses. */
function issuePaths(input: unknown): string[] {
  const result = hoursSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

function issues(input: unknown) {
  const result = hoursSchema.safeParse(input);
  return result.success ? [] : result.error.issues;
}

const monday = (...intervals: unknown[]) => ({ ...closedWeek, weekly: { monday: intervals } });
const overrides = (...list: unknown[]) => ({ ...closedWeek, overrides: list });

/** Consecutive dates from 2026-01-01, each once. */
const dates = (count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));

/** Every minute from `from` (included) to `to` (excluded). */
function* minutes(from: string, to: string) {
  for (let t = Date.parse(from); t < Date.parse(to); t += 60_000) yield new Date(t);
}

const hours = (timeZone: string, weekly: Hours['weekly'], overrideList: Hours['overrides'] = []): Hours =>
  hoursSchema.parse({ timeZone, weekly, overrides: overrideList });

describe('hoursSchema: valid shapes', () => {
  it('parses the documented example', () => {
    const input = {
      timeZone: 'America/New_York',
      weekly: {
        monday: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '17:30' },
        ],
        tuesday: [{ start: '00:00', end: '24:00' }],
        sunday: [],
      },
      overrides: [
        { date: '2026-12-24', intervals: [{ start: '09:00', end: '13:00' }], note: 'Christmas Eve' },
        { date: '2026-12-25', intervals: [], note: 'Christmas' },
      ],
    };
    expect(hoursSchema.parse(input)).toEqual(input);
  });

  it('parses a week closed every day, and touching intervals', () => {
    expect(issuePaths(closedWeek)).toEqual([]);
    expect(
      issuePaths(
        monday(
          { start: '09:00', end: '12:00' },
          { start: '12:00', end: '13:00' },
          { start: '23:59', end: '24:00' },
        ),
      ),
    ).toEqual([]);
  });

  it('takes UTC and current IANA names that ICU lists under old ones', () => {
    for (const timeZone of ['UTC', 'Europe/Paris', 'Asia/Kolkata', 'Europe/Kyiv', 'Asia/Calcutta']) {
      expect(issuePaths({ ...closedWeek, timeZone }), timeZone).toEqual([]);
    }
  });

  it('takes 366 overrides, a leap day, and no note', () => {
    expect(issuePaths(overrides(...dates(366).map((date) => ({ date, intervals: [] }))))).toEqual([]);
    expect(issuePaths(overrides({ date: '2028-02-29', intervals: [] }))).toEqual([]);
  });

  it('converts to JSON Schema for the OpenAPI document', () => {
    const schema = JSON.stringify(z.toJSONSchema(hoursSchema, { io: 'input' }));
    expect(schema).toContain('"additionalProperties":false');
    expect(schema).toContain('"format":"date"');
  });
});

describe('hoursSchema: refusals name the exact field', () => {
  it('refuses an unknown time zone', () => {
    for (const timeZone of ['Mars/Olympus', 'america/new_york', '+05:30', 'EST ', '']) {
      const [issue, ...rest] = issues({ ...closedWeek, timeZone });
      expect(rest, timeZone).toEqual([]);
      expect(issue?.path.join('.')).toBe('timeZone');
      expect(issue?.message).toBe('Use an IANA time zone such as Europe/Paris.');
    }
  });

  it('takes 24:00 only as an end, and 00:00 only as a start', () => {
    expect(issuePaths(monday({ start: '24:00', end: '24:00' }))).toEqual(['weekly.monday.0.start']);
    expect(issuePaths(monday({ start: '00:00', end: '00:00' }))).toEqual(['weekly.monday.0.end']);
    expect(issuePaths(monday({ start: '00:00', end: '24:00' }))).toEqual([]);
  });

  it('refuses malformed times', () => {
    for (const time of ['9:00', '09:60', '25:00', '24:01', '09:00:00', ' 09:00']) {
      expect(issuePaths(monday({ start: time, end: '24:00' })), time).toEqual(['weekly.monday.0.start']);
      expect(issuePaths(monday({ start: '00:00', end: time })), time).toEqual(['weekly.monday.0.end']);
    }
    const [issue] = issues(monday({ start: '09:00', end: '24:30' }));
    expect(issue?.message).toBe('Use an end time from 00:01 to 24:00 (HH:MM).');
  });

  it('refuses an end that is not after the start, on the end', () => {
    expect(issuePaths(monday({ start: '09:00', end: '09:00' }))).toEqual(['weekly.monday.0.end']);
    const [issue, ...rest] = issues({
      ...closedWeek,
      weekly: {
        tuesday: [
          { start: '08:00', end: '09:00' },
          { start: '17:00', end: '09:00' },
        ],
      },
    });
    expect(rest).toEqual([]);
    expect(issue?.path.join('.')).toBe('weekly.tuesday.1.end');
    expect(issue?.message).toBe('The end must be later than the start.');
  });

  it('refuses unsorted intervals, on the later start', () => {
    const [issue, ...rest] = issues(
      monday({ start: '13:00', end: '17:00' }, { start: '09:00', end: '12:00' }),
    );
    expect(rest).toEqual([]);
    expect(issue?.path.join('.')).toBe('weekly.monday.1.start');
    expect(issue?.message).toBe('List the intervals of a day by start time.');
  });

  it('refuses overlapping intervals, on the later start', () => {
    const [issue, ...rest] = issues(
      monday(
        { start: '08:00', end: '09:00' },
        { start: '09:00', end: '12:30' },
        { start: '12:00', end: '17:00' },
      ),
    );
    expect(rest).toEqual([]);
    expect(issue?.path.join('.')).toBe('weekly.monday.2.start');
    expect(issue?.message).toBe('This interval overlaps the one before it.');
  });

  it('refuses more than 6 intervals a day', () => {
    const seven = Array.from({ length: 7 }, (_, i) => ({ start: `0${i}:00`, end: `0${i}:30` }));
    expect(issuePaths(monday(...seven))).toEqual(['weekly.monday']);
    expect(issuePaths(monday(...seven.slice(0, 6)))).toEqual([]);
  });

  it('refuses unknown keys, at the object that has them', () => {
    expect(issuePaths({ ...closedWeek, weekly: { funday: [] } })).toEqual(['weekly']);
    expect(issuePaths(monday({ start: '09:00', end: '10:00', label: 'x' }))).toEqual(['weekly.monday.0']);
    expect(issuePaths(overrides({ date: '2026-12-25', intervals: [], closed: true }))).toEqual([
      'overrides.0',
    ]);
    expect(issuePaths({ ...closedWeek, open: true })).toEqual(['']);
  });

  it('refuses a missing part', () => {
    expect(issuePaths({ weekly: {}, overrides: [] })).toEqual(['timeZone']);
    expect(issuePaths({ timeZone: 'UTC', overrides: [] })).toEqual(['weekly']);
    expect(issuePaths({ timeZone: 'UTC', weekly: {} })).toEqual(['overrides']);
    expect(issuePaths(overrides({ date: '2026-12-25' }))).toEqual(['overrides.0.intervals']);
  });

  it('refuses dates that are not on the calendar', () => {
    for (const date of [
      '2026-02-30',
      '2026-02-29',
      '2026-13-01',
      '2026-04-31',
      '2026-1-05',
      '2026-01-05T00:00',
    ]) {
      const [issue, ...rest] = issues(
        overrides({ date: '2026-01-01', intervals: [] }, { date, intervals: [] }),
      );
      expect(rest, date).toEqual([]);
      expect(issue?.path.join('.'), date).toBe('overrides.1.date');
      expect(issue?.message).toBe('Use a real calendar date (YYYY-MM-DD).');
    }
  });

  it('refuses a date given twice, on each later one', () => {
    const [first, second, ...rest] = issues(
      overrides(
        { date: '2026-12-24', intervals: [] },
        { date: '2026-12-25', intervals: [] },
        { date: '2026-12-24', intervals: [{ start: '09:00', end: '10:00' }] },
        { date: '2026-12-24', intervals: [] },
      ),
    );
    expect(rest).toEqual([]);
    expect([first?.path.join('.'), second?.path.join('.')]).toEqual(['overrides.2.date', 'overrides.3.date']);
    expect(first?.message).toBe('This date already has an override.');
  });

  it('refuses more than 366 overrides', () => {
    expect(issuePaths(overrides(...dates(367).map((date) => ({ date, intervals: [] }))))).toEqual([
      'overrides',
    ]);
  });

  it('checks the intervals and the note of an override', () => {
    expect(
      issuePaths(
        overrides({
          date: '2026-12-24',
          intervals: [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '14:00' },
          ],
        }),
      ),
    ).toEqual(['overrides.0.intervals.1.start']);
    expect(issuePaths(overrides({ date: '2026-12-24', intervals: [], note: '' }))).toEqual([
      'overrides.0.note',
    ]);
    expect(issuePaths(overrides({ date: '2026-12-24', intervals: [], note: 'x'.repeat(101) }))).toEqual([
      'overrides.0.note',
    ]);
    expect(issuePaths(overrides({ date: '2026-12-24', intervals: [], note: 'x'.repeat(100) }))).toEqual([]);
  });

  it('writes every message of its own as a sentence', () => {
    const custom = issues({
      timeZone: 'Nowhere',
      weekly: {
        monday: [{ start: '24:00', end: '00:00' }],
        tuesday: [
          { start: '10:00', end: '09:00' },
          { start: '08:00', end: '09:00' },
        ],
      },
      overrides: [
        { date: '2026-02-30', intervals: [] },
        { date: '2026-03-01', intervals: [] },
        { date: '2026-03-01', intervals: [] },
      ],
    });
    expect(custom).toHaveLength(7);
    for (const issue of custom) expect(issue.message).toMatch(/^[A-Z].*\.$/);
  });
});

describe('wallClockAt', () => {
  it('gives the local date, day, minutes and time with its offset', () => {
    expect(wallClockAt('America/New_York', new Date('2026-03-08T03:00:00.123Z'))).toEqual({
      date: '2026-03-07',
      weekDay: 'saturday',
      minutes: 22 * 60,
      localTime: '2026-03-07T22:00:00-05:00',
    });
    expect(wallClockAt('UTC', new Date('2026-03-09T00:00:59Z'))).toEqual({
      date: '2026-03-09',
      weekDay: 'monday',
      minutes: 0,
      localTime: '2026-03-09T00:00:59+00:00',
    });
    expect(wallClockAt('Asia/Kolkata', new Date('2026-03-09T00:00:00Z')).localTime).toBe(
      '2026-03-09T05:30:00+05:30',
    );
  });

  it('changes the offset on both sides of each transition', () => {
    const at = (timeZone: string, iso: string) => wallClockAt(timeZone, new Date(iso)).localTime;
    // New York springs forward at 02:00 EST and falls back at 02:00 EDT.
    expect(at('America/New_York', '2026-03-08T06:59:00Z')).toBe('2026-03-08T01:59:00-05:00');
    expect(at('America/New_York', '2026-03-08T07:00:00Z')).toBe('2026-03-08T03:00:00-04:00');
    expect(at('America/New_York', '2026-03-08T07:30:00Z')).toBe('2026-03-08T03:30:00-04:00');
    expect(at('America/New_York', '2026-11-01T05:30:00Z')).toBe('2026-11-01T01:30:00-04:00');
    expect(at('America/New_York', '2026-11-01T06:30:00Z')).toBe('2026-11-01T01:30:00-05:00');
    // Paris at 01:00 UTC both times.
    expect(at('Europe/Paris', '2026-03-29T00:59:00Z')).toBe('2026-03-29T01:59:00+01:00');
    expect(at('Europe/Paris', '2026-03-29T01:00:00Z')).toBe('2026-03-29T03:00:00+02:00');
    expect(at('Europe/Paris', '2026-10-25T00:30:00Z')).toBe('2026-10-25T02:30:00+02:00');
    expect(at('Europe/Paris', '2026-10-25T01:30:00Z')).toBe('2026-10-25T02:30:00+01:00');
  });
});

describe('isOpenAt', () => {
  const open = (h: Hours | null, iso: string) => isOpenAt(h, new Date(iso));

  it('is always open without hours', () => {
    expect(open(null, '2026-03-08T07:30:00Z')).toBe(true);
    expect(open(null, '2026-12-25T12:00:00Z')).toBe(true);
  });

  it('is closed on a day with no intervals', () => {
    expect(open(hours('UTC', {}), '2026-03-09T12:00:00Z')).toBe(false);
  });

  it('closes in the gap of a split shift, start included and end excluded', () => {
    // Monday 2026-03-02 in New York is EST (UTC−5).
    const h = hours('America/New_York', {
      monday: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
    });
    expect(open(h, '2026-03-02T13:59:00Z')).toBe(false); // 08:59
    expect(open(h, '2026-03-02T14:00:00Z')).toBe(true); // 09:00
    expect(open(h, '2026-03-02T16:59:59Z')).toBe(true); // 11:59:59
    expect(open(h, '2026-03-02T17:00:00Z')).toBe(false); // 12:00
    expect(open(h, '2026-03-02T17:30:00Z')).toBe(false); // 12:30
    expect(open(h, '2026-03-02T18:00:00Z')).toBe(true); // 13:00
    expect(open(h, '2026-03-02T22:29:00Z')).toBe(true); // 17:29
    expect(open(h, '2026-03-02T22:30:00Z')).toBe(false); // 17:30
    expect(open(h, '2026-03-09T13:30:00Z')).toBe(true); // 09:30 EDT the next Monday
  });

  it('covers up to the end of the local day with 24:00', () => {
    const h = hours('America/New_York', { saturday: [{ start: '22:00', end: '24:00' }] });
    expect(open(h, '2026-03-08T02:59:00Z')).toBe(false); // Saturday 21:59 EST
    expect(open(h, '2026-03-08T04:59:59Z')).toBe(true); // Saturday 23:59:59 EST
    expect(open(h, '2026-03-08T05:00:00Z')).toBe(false); // Sunday 00:00
  });

  it('covers the whole 23-hour and 25-hour days with 00:00–24:00', () => {
    const h = hours('America/New_York', { sunday: [{ start: '00:00', end: '24:00' }] });
    for (const at of minutes('2026-03-08T05:00Z', '2026-03-09T04:00Z')) expect(isOpenAt(h, at)).toBe(true);
    expect(open(h, '2026-03-09T04:00:00Z')).toBe(false); // Monday 00:00 EDT
    for (const at of minutes('2026-11-01T04:00Z', '2026-11-02T05:00Z')) expect(isOpenAt(h, at)).toBe(true);
    expect(open(h, '2026-11-02T05:00:00Z')).toBe(false); // Monday 00:00 EST
  });

  describe('on the spring-forward night, the skipped hour matches nothing', () => {
    it.each([
      ['America/New_York', '2026-03-08'],
      ['Europe/Paris', '2026-03-29'],
    ])('%s on %s', (timeZone, date) => {
      const h = hours(timeZone, {
        sunday: [
          { start: '01:00', end: '02:00' },
          { start: '02:00', end: '03:00' },
        ],
      });
      const skipped = hours(timeZone, { sunday: [{ start: '02:00', end: '03:00' }] });
      let openMinutes = 0;
      for (const at of minutes(`${date}T00:00Z`, `${date}T12:00Z`)) {
        expect(isOpenAt(skipped, at)).toBe(false);
        if (isOpenAt(h, at)) openMinutes++;
      }
      expect(openMinutes).toBe(60); // only 01:00–02:00 exists
    });

    it('is open after the jump for an interval starting at 03:00', () => {
      const h = hours('America/New_York', { sunday: [{ start: '03:00', end: '04:00' }] });
      expect(open(h, '2026-03-08T06:59:00Z')).toBe(false); // 01:59 EST
      expect(open(h, '2026-03-08T07:00:00Z')).toBe(true); // 03:00 EDT, one minute later
      expect(open(h, '2026-03-08T07:30:00Z')).toBe(true); // 03:30 EDT
    });
  });

  describe('on the fall-back night, both passes of the repeated hour match', () => {
    it('America/New_York on 2026-11-01', () => {
      const h = hours('America/New_York', { sunday: [{ start: '01:00', end: '02:00' }] });
      expect(open(h, '2026-11-01T04:59:00Z')).toBe(false); // 00:59 EDT
      expect(open(h, '2026-11-01T05:30:00Z')).toBe(true); // 01:30 EDT
      expect(open(h, '2026-11-01T06:30:00Z')).toBe(true); // 01:30 EST
      expect(open(h, '2026-11-01T07:00:00Z')).toBe(false); // 02:00 EST
      let openMinutes = 0;
      for (const at of minutes('2026-11-01T00:00Z', '2026-11-01T12:00Z')) if (isOpenAt(h, at)) openMinutes++;
      expect(openMinutes).toBe(120);
    });

    it('Europe/Paris on 2026-10-25', () => {
      const h = hours('Europe/Paris', { sunday: [{ start: '02:00', end: '03:00' }] });
      expect(open(h, '2026-10-24T23:59:00Z')).toBe(false); // 01:59 CEST
      expect(open(h, '2026-10-25T00:30:00Z')).toBe(true); // 02:30 CEST
      expect(open(h, '2026-10-25T01:30:00Z')).toBe(true); // 02:30 CET
      expect(open(h, '2026-10-25T02:00:00Z')).toBe(false); // 03:00 CET
    });
  });

  describe('overrides replace the weekly intervals of their local date', () => {
    const h = hours(
      'America/New_York',
      {
        wednesday: [{ start: '09:00', end: '17:00' }],
        thursday: [{ start: '09:00', end: '17:00' }],
        friday: [{ start: '09:00', end: '17:00' }],
      },
      [
        { date: '2026-12-24', intervals: [{ start: '09:00', end: '13:00' }], note: 'Christmas Eve' },
        { date: '2026-12-25', intervals: [], note: 'Christmas' },
        { date: '2026-12-31', intervals: [{ start: '20:00', end: '24:00' }] },
      ],
    );

    it('keeps the weekly hours on other dates', () => {
      expect(open(h, '2026-12-23T19:00:00Z')).toBe(true); // Wednesday 14:00 EST
    });

    it('closes a holiday all day', () => {
      for (const at of minutes('2026-12-25T05:00Z', '2026-12-26T05:00Z')) expect(isOpenAt(h, at)).toBe(false);
    });

    it('gives partial hours', () => {
      expect(open(h, '2026-12-24T15:00:00Z')).toBe(true); // 10:00
      expect(open(h, '2026-12-24T17:59:00Z')).toBe(true); // 12:59
      expect(open(h, '2026-12-24T18:00:00Z')).toBe(false); // 13:00
      expect(open(h, '2026-12-24T19:00:00Z')).toBe(false); // 14:00, open on a usual Thursday
    });

    it('follows the local date, not the UTC one', () => {
      expect(open(h, '2027-01-01T02:00:00Z')).toBe(true); // Thursday 2026-12-31 21:00 EST
      expect(open(h, '2026-12-31T15:00:00Z')).toBe(false); // 10:00, the weekly hours are replaced
    });
  });
});
