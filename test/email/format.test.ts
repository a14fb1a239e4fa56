import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, longUtcTime } from '../../shared/email/format';

describe('email formatting', () => {
  it('writes a UTC time as en-US’s long format does, without building an Intl formatter', () => {
    const intl = new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' });
    expect(longUtcTime(new Date('2026-12-08T22:08:20.737Z'))).toBe(
      'Tuesday, December 8, 2026 at 10:08 PM UTC',
    );
    expect(longUtcTime(new Date('2027-01-01T00:05:00Z'))).toBe('Friday, January 1, 2027 at 12:05 AM UTC');
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (date) => {
          // Intl puts a narrow no-break space before AM/PM; plain text emails get a space.
          expect(longUtcTime(date)).toBe(`${intl.format(date).replace(/\u202f/g, ' ')} UTC`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('escapes what users type for HTML', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
});
