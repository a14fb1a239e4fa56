import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plans } from '../../../shared/access/tenancy';
import {
  type Account,
  annualPrices,
  billChange,
  cancelAccount,
  type PricedLine,
  renewThrough,
} from '../../../shared/features/billing/ledger';
import { daysBetween, periodEndOf, prorate } from '../../../shared/features/billing/proration';

const account = (overrides: Partial<Account> = {}): Account => ({
  plan: 'business',
  periodStart: '2027-01-15',
  periodEnd: '2028-01-15',
  seats: 5,
  numbers: 5,
  creditBalanceCents: 0,
  dueCents: 0,
  cancelled: false,
  ...overrides,
});

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const signed = (line: PricedLine) =>
  line.kind === 'charge' ? line.amountCents : line.kind === 'credit' ? -line.amountCents : 0;

describe('the rounding rule', () => {
  it('rounds once, half up, in integers', () => {
    expect(prorate(1, 27_600, 183, 365)).toBe(13_838); // 13 837.81… → 13 838
    expect(prorate(1, 730, 1, 365)).toBe(2); // exactly 2
    expect(prorate(1, 365, 1, 730)).toBe(1); // exactly 0.5 → 1 (half up)
    expect(prorate(1, 364, 1, 730)).toBe(0); // 0.498… → 0
    expect(prorate(3, 27_600, 365, 365)).toBe(82_800);
    expect(() => prorate(1.5, 100, 1, 365)).toThrow();
  });

  it('gives periods of 365 or 366 days, a 29 February start ending on 1 March', () => {
    expect(periodEndOf('2027-01-15')).toBe('2028-01-15');
    expect(daysBetween('2027-03-01', periodEndOf('2027-03-01'))).toBe(366); // holds 29 February 2028
    expect(periodEndOf('2028-02-29')).toBe('2029-03-01');
    expect(daysBetween('2028-02-29', '2029-03-01')).toBe(366);
    expect(daysBetween('2026-06-01', periodEndOf('2026-06-01'))).toBe(365);
  });
});

describe('pricing changes (properties)', () => {
  const plan = fc.constantFrom(...plans);
  const periodStart = fc
    .date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2032-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 10));

  it('a seat added on the period’s first day costs exactly the annual price', () => {
    fc.assert(
      fc.property(plan, periodStart, fc.integer({ min: 1, max: 500 }), (p, start, quantity) => {
        const billed = billChange(
          account({ plan: p, periodStart: start, periodEnd: periodEndOf(start) }),
          { seats: quantity },
          start,
        );
        expect(billed.lines).toEqual([
          expect.objectContaining({
            kind: 'charge',
            reason: 'seat.added',
            amountCents: quantity * annualPrices(p).seatAnnualCents,
          }),
        ]);
      }),
    );
  });

  it('adding and removing the same seats and numbers on the same day nets to exactly zero', () => {
    fc.assert(
      fc.property(
        plan,
        periodStart,
        fc.integer({ min: 0, max: 364 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 30 }),
        (p, start, offset, seats, numbers, addSeats, addNumbers) => {
          const day = addDays(start, offset);
          const base = account({
            plan: p,
            periodStart: start,
            periodEnd: periodEndOf(start),
            seats,
            numbers,
          });
          const added = billChange(base, { seats: addSeats, numbers: addNumbers }, day);
          const removed = billChange(added.account, { seats: -addSeats, numbers: -addNumbers }, day);
          const net = [...added.lines, ...removed.lines].reduce((sum, line) => sum + signed(line), 0);
          expect(net).toBe(0);
        },
      ),
    );
  });

  it('keeps the balance and what is due equal to the sum of the lines, over any sequence of changes', () => {
    const step = fc.record({
      afterDays: fc.integer({ min: 0, max: 200 }),
      seats: fc.integer({ min: -3, max: 5 }),
      numbers: fc.integer({ min: -3, max: 5 }),
      plan: fc.option(plan, { nil: undefined }),
    });
    fc.assert(
      fc.property(
        periodStart,
        fc.array(step, { maxLength: 25 }),
        fc.boolean(),
        (start, steps, cancelAtEnd) => {
          let current = account({ periodStart: start, periodEnd: periodEndOf(start), seats: 1, numbers: 1 });
          let day = start;
          const lines: PricedLine[] = [];
          for (const next of steps) {
            day = addDays(day, next.afterDays);
            const seats = Math.max(-current.seats + 1, next.seats);
            const numbers = Math.max(-current.numbers, next.numbers);
            const billed = billChange(
              current,
              { seats, numbers, ...(next.plan ? { plan: next.plan } : {}) },
              day,
            );
            lines.push(...billed.lines);
            current = billed.account;
          }
          if (cancelAtEnd) {
            const cancelled = cancelAccount(current);
            lines.push(...cancelled.lines);
            current = cancelled.account;
          }
          const total = (kind: PricedLine['kind']) =>
            lines.filter((line) => line.kind === kind).reduce((sum, line) => sum + line.amountCents, 0);
          expect(current.creditBalanceCents).toBe(
            total('credit') - total('creditApplied') - total('creditExpired'),
          );
          expect(current.dueCents).toBe(total('charge') - total('creditApplied'));
          for (const line of lines) {
            expect(Number.isSafeInteger(line.amountCents) && line.amountCents > 0).toBe(true);
            expect(line.balanceAfterCents).toBeGreaterThanOrEqual(0);
          }
          // Every line's balanceAfter follows from the one before it.
          let balance = 0;
          for (const line of lines) {
            balance +=
              line.kind === 'credit' ? line.amountCents : line.kind === 'charge' ? 0 : -line.amountCents;
            expect(line.balanceAfterCents).toBe(balance);
          }
        },
      ),
    );
  });

  it('prices the same change the same way every time (the preview is the charge)', () => {
    fc.assert(
      fc.property(
        plan,
        periodStart,
        fc.integer({ min: 0, max: 364 }),
        fc.integer({ min: -4, max: 6 }),
        (p, start, offset, delta) => {
          const base = account({
            plan: p,
            periodStart: start,
            periodEnd: periodEndOf(start),
            seats: 5,
            numbers: 8,
            creditBalanceCents: 1234,
          });
          const day = addDays(start, offset);
          expect(billChange(base, { seats: delta }, day)).toEqual(billChange(base, { seats: delta }, day));
        },
      ),
    );
  });
});

describe('credits and renewals', () => {
  it('pays a charge from the credit first, and owes only the rest', () => {
    const billed = billChange(account({ creditBalanceCents: 10_000 }), { seats: 1 }, '2027-01-15');
    expect(billed.lines.map((line) => [line.kind, line.amountCents, line.balanceAfterCents])).toEqual([
      ['charge', 27_600, 10_000],
      ['creditApplied', 10_000, 0],
    ]);
    expect(billed.account).toMatchObject({ creditBalanceCents: 0, dueCents: 17_600 });
  });

  it('turns a number extra when a member goes (D6: numbers are pooled over the seats)', () => {
    const billed = billChange(account({ seats: 3, numbers: 3 }), { seats: -1 }, '2027-07-16');
    expect(billed.lines.map((line) => [line.kind, line.reason, line.quantity])).toEqual([
      ['credit', 'seat.removed', 1],
      ['charge', 'number.added', 1],
      ['creditApplied', 'number.added', 1],
    ]);
  });

  it('renews a period that ended before pricing a change made after it, once per period', () => {
    const start = account({ seats: 2, numbers: 4, creditBalanceCents: 500 });
    const billed = billChange(start, { seats: 1 }, '2028-01-20');
    expect(billed.lines.slice(0, 3).map((line) => [line.kind, line.reason, line.amountCents])).toEqual([
      ['charge', 'renewal', 2 * 27_600],
      ['charge', 'renewal', 2 * 6_000],
      ['creditApplied', 'renewal', 500],
    ]);
    expect(billed.account).toMatchObject({ periodStart: '2028-01-15', periodEnd: '2029-01-15' });
    // The daily job run twice on the same day renews once.
    const first = renewThrough(start, '2028-01-15');
    expect(renewThrough(first.account, '2028-01-15').lines).toEqual([]);
  });

  it('prices a change dated before the period (begun before a renewal’s midnight) on its first day', () => {
    const renewed = account({ periodStart: '2028-01-15', periodEnd: '2029-01-15' });
    expect(billChange(renewed, { seats: 1 }, '2028-01-14').lines).toEqual([
      expect.objectContaining({ reason: 'seat.added', days: 366, daysInPeriod: 366, amountCents: 27_600 }),
    ]);
  });

  it('expires the whole credit at cancellation', () => {
    expect(cancelAccount(account({ creditBalanceCents: 4321 })).lines).toEqual([
      expect.objectContaining({
        kind: 'creditExpired',
        reason: 'cancellation',
        amountCents: 4321,
        balanceAfterCents: 0,
      }),
    ]);
    expect(cancelAccount(account()).lines).toEqual([]);
  });

  it('never renews a cancelled subscription, nor bills a change to it', () => {
    const cancelled = cancelAccount(account({ creditBalanceCents: 100 })).account;
    expect(cancelled.cancelled).toBe(true);
    expect(renewThrough(cancelled, '2029-06-01')).toEqual({ lines: [], account: cancelled });
    expect(() => billChange(cancelled, { seats: 1 }, '2027-06-01')).toThrow();
  });
});
