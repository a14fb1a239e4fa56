import { planTable } from '../../access/plans';
import type { Plan } from '../../access/tenancy';
import { type Day, daysBetween, periodEndOf, prorate } from './proration';

type LineKind = 'charge' | 'credit' | 'creditApplied' | 'creditExpired';
type LineReason =
  | 'seat.added'
  | 'seat.removed'
  | 'number.added'
  | 'number.removed'
  | 'plan.changed'
  | 'renewal'
  | 'cancellation';

/** One ledger line as priced: amounts are cents, never negative (`kind` says the direction). */
export interface PricedLine {
  kind: LineKind;
  reason: LineReason;
  quantity: number;
  unitAnnualCents: number;
  days: number;
  daysInPeriod: number;
  amountCents: number;
  periodStart: Day;
  periodEnd: Day;
  /** The credit balance once this line is applied. */
  balanceAfterCents: number;
}

/** What billing knows of a workspace: its plan and period, what it counts, what it holds and owes. */
export interface Account {
  plan: Plan;
  periodStart: Day;
  periodEnd: Day;
  seats: number;
  numbers: number;
  creditBalanceCents: number;
  dueCents: number;
  /** A cancelled subscription: it never renews, and no change is billed any more. */
  cancelled: boolean;
}

/** A change to price: seats and numbers added (positive) or removed (negative), or another plan. */
export interface Change {
  seats?: number;
  numbers?: number;
  plan?: Plan;
}

export interface Billed {
  lines: PricedLine[];
  account: Account;
}

export const annualPrices = (plan: Plan) => ({
  seatAnnualCents: planTable[plan].seatMonthlyCents * 12,
  extraNumberAnnualCents: planTable[plan].extraNumberMonthlyCents * 12,
});

/** D6: each seat includes a number, pooled across the workspace. */
export const extraNumbers = (seats: number, numbers: number) => Math.max(0, numbers - seats);

type Draft = Omit<PricedLine, 'balanceAfterCents' | 'periodStart' | 'periodEnd'>;

/**
 * Applies the drafts of one change in the rule's order (credits, then
 * charges, then what the balance pays of the charges) to the account.
 */
function settle(account: Account, drafts: Draft[]): Billed {
  let balance = account.creditBalanceCents;
  const lines: PricedLine[] = [];
  const period = { periodStart: account.periodStart, periodEnd: account.periodEnd };
  const priced = drafts.filter((draft) => draft.amountCents > 0);
  for (const credit of priced.filter((draft) => draft.kind === 'credit')) {
    balance += credit.amountCents;
    lines.push({ ...credit, ...period, balanceAfterCents: balance });
  }
  let charged = 0;
  for (const charge of priced.filter((draft) => draft.kind === 'charge')) {
    charged += charge.amountCents;
    lines.push({ ...charge, ...period, balanceAfterCents: balance });
  }
  const applied = Math.min(balance, charged);
  if (applied > 0) {
    balance -= applied;
    lines.push({
      kind: 'creditApplied',
      reason: priced.find((draft) => draft.kind === 'charge')?.reason ?? 'renewal',
      quantity: 1,
      unitAnnualCents: 0,
      days: 0,
      daysInPeriod: 0,
      amountCents: applied,
      ...period,
      balanceAfterCents: balance,
    });
  }
  return {
    lines,
    account: { ...account, creditBalanceCents: balance, dueCents: account.dueCents + charged - applied },
  };
}

/**
 * Renews every period that ended by `day` (the daily job's work, or a
 * change that comes first): each new period charges its seats and extra
 * numbers at the annual price, paid from credit first.
 */
export function renewThrough(account: Account, day: Day): Billed {
  let current = account;
  const lines: PricedLine[] = [];
  while (!current.cancelled && day >= current.periodEnd) {
    const periodStart = current.periodEnd;
    const periodEnd = periodEndOf(periodStart);
    const length = daysBetween(periodStart, periodEnd);
    const prices = annualPrices(current.plan);
    const renewed = settle({ ...current, periodStart, periodEnd }, [
      renewalDraft(current.seats, prices.seatAnnualCents, length),
      renewalDraft(extraNumbers(current.seats, current.numbers), prices.extraNumberAnnualCents, length),
    ]);
    lines.push(...renewed.lines);
    current = renewed.account;
  }
  return { lines, account: current };
}

const renewalDraft = (quantity: number, unitAnnualCents: number, length: number): Draft => ({
  kind: 'charge',
  reason: 'renewal',
  quantity,
  unitAnnualCents,
  days: length,
  daysInPeriod: length,
  amountCents: quantity * unitAnnualCents,
});

/**
 * Prices a change made on `day`, the same code for the preview and for the
 * change itself: the period renewed first if it ended, then a line per
 * reason the change moves (a plan's price difference on the seats held, then
 * seats and extra numbers at the plan now in force), each prorated over the
 * days left.
 */
export function billChange(account: Account, change: Change, asked: Day): Billed {
  if (account.cancelled) throw new Error('A cancelled subscription bills no change');
  const renewed = renewThrough(account, asked);
  const before = renewed.account;
  // A change whose instant precedes the period (a request begun before the
  // midnight a renewal committed at) is priced on the period's first day.
  const day = asked < before.periodStart ? before.periodStart : asked;
  const remaining = daysBetween(day, before.periodEnd);
  const length = daysBetween(before.periodStart, before.periodEnd);
  const plan = change.plan ?? before.plan;
  const seats = before.seats + (change.seats ?? 0);
  const numbers = before.numbers + (change.numbers ?? 0);
  if (seats < 0 || numbers < 0) throw new Error('A workspace cannot hold fewer than no seats or numbers');
  const oldPrices = annualPrices(before.plan);
  const prices = annualPrices(plan);
  const drafts: Draft[] = [];
  const draft = (
    kind: 'charge' | 'credit',
    reason: LineReason,
    quantity: number,
    unitAnnualCents: number,
  ) => {
    drafts.push({
      kind,
      reason,
      quantity,
      unitAnnualCents,
      days: remaining,
      daysInPeriod: length,
      amountCents: prorate(quantity, unitAnnualCents, remaining, length),
    });
  };
  const planDifference = prices.seatAnnualCents - oldPrices.seatAnnualCents;
  if (planDifference !== 0)
    draft(planDifference > 0 ? 'charge' : 'credit', 'plan.changed', before.seats, Math.abs(planDifference));
  // A count that moves: charged when it grows, credited when it shrinks.
  const moved = (delta: number, reasons: [LineReason, LineReason], unitAnnualCents: number) => {
    if (delta !== 0)
      draft(delta > 0 ? 'charge' : 'credit', reasons[delta > 0 ? 0 : 1], Math.abs(delta), unitAnnualCents);
  };
  moved(seats - before.seats, ['seat.added', 'seat.removed'], prices.seatAnnualCents);
  moved(
    extraNumbers(seats, numbers) - extraNumbers(before.seats, before.numbers),
    ['number.added', 'number.removed'],
    prices.extraNumberAnnualCents,
  );
  const settled = settle(before, drafts);
  return {
    lines: [...renewed.lines, ...settled.lines],
    account: { ...settled.account, plan, seats, numbers },
  };
}

/** Cancellation: the whole credit balance expires; nothing is refunded. */
export function cancelAccount(account: Account): Billed {
  if (account.creditBalanceCents === 0) return { lines: [], account: { ...account, cancelled: true } };
  return {
    lines: [
      {
        kind: 'creditExpired',
        reason: 'cancellation',
        quantity: 1,
        unitAnnualCents: 0,
        days: 0,
        daysInPeriod: 0,
        amountCents: account.creditBalanceCents,
        periodStart: account.periodStart,
        periodEnd: account.periodEnd,
        balanceAfterCents: 0,
      },
    ],
    account: { ...account, creditBalanceCents: 0, cancelled: true },
  };
}
