import { afterEach, describe, expect, it, vi } from 'vitest';
import { jobInstant } from '../../shared/core/time';

describe('the instant a scheduled job runs as', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is the real clock when deployed, whatever the invocation asks: nothing renews ahead of time', () => {
    vi.stubEnv('DEV_NOW', '');
    const before = Date.now();
    const instant = jobInstant('2099-01-01T00:00:00Z').getTime();
    expect(instant).toBeGreaterThanOrEqual(before);
    expect(instant).toBeLessThanOrEqual(Date.now());
  });

  it('is the one asked on the local server (DEV_NOW=on), and the clock when none is', () => {
    vi.stubEnv('DEV_NOW', 'on');
    expect(jobInstant('2099-01-01T00:00:00Z').toISOString()).toBe('2099-01-01T00:00:00.000Z');
    expect(Math.abs(jobInstant(undefined).getTime() - Date.now())).toBeLessThan(1000);
  });
});
