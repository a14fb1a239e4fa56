import type { WorkspaceItem } from '../../access/tenancy';
import { billingKey, ledgerLineKey, renewalListKey } from '../../db/keys';
import { type Account, annualPrices, extraNumbers, type PricedLine } from './ledger';
import { type Day, dayOf, periodEndOf } from './proration';

export const currency = 'USD';

/**
 * A workspace's billing item: the period, the seats and numbers it counts,
 * its credit and what it owes. `revision` moves with every billed change:
 * each change's write is conditioned on the revision it priced from, so two
 * concurrent changes never price from the same balance.
 */
export interface BillingItem {
  workspaceId: string;
  periodStart: Day;
  periodEnd: Day;
  seats: number;
  numbers: number;
  creditBalanceCents: number;
  dueCents: number;
  revision: number;
}

/** A ledger line as stored: append-only, with what caused it. */
export interface LedgerLineItem extends PricedLine {
  id: string;
  workspaceId: string;
  at: string;
  subject: { type: string; id: string };
}

/** The account a change is priced on: the billing item and the plan of the workspace item. */
export const accountOf = (
  workspace: Pick<WorkspaceItem, 'plan' | 'status'>,
  billing: BillingItem,
): Account => ({
  plan: workspace.plan,
  periodStart: billing.periodStart,
  periodEnd: billing.periodEnd,
  seats: billing.seats,
  numbers: billing.numbers,
  creditBalanceCents: billing.creditBalanceCents,
  dueCents: billing.dueCents,
  cancelled: workspace.status === 'cancelled',
});

/**
 * The billing item of a workspace that has none yet (created before
 * billing): its period anchored on its creation day, with no back charge.
 */
export function firstBilling(workspace: WorkspaceItem, numbers: number, now: Date): BillingItem {
  let periodStart = dayOf(new Date(workspace.createdAt));
  const today = dayOf(now);
  let periodEnd = periodEndOf(periodStart);
  // Without a back charge, the first period is the one running today.
  while (periodEnd <= today) {
    periodStart = periodEnd;
    periodEnd = periodEndOf(periodStart);
  }
  return {
    workspaceId: workspace.id,
    periodStart,
    periodEnd,
    seats: workspace.memberCount,
    numbers,
    creditBalanceCents: 0,
    dueCents: 0,
    revision: 0,
  };
}

/** The billing item as stored: on the list of due renewals while the subscription renews. */
export const billingRecord = (item: BillingItem, options: { renews: boolean }) => ({
  ...billingKey(item.workspaceId),
  ...(options.renews ? renewalListKey(item.workspaceId, item.periodEnd) : {}),
  ...item,
});
export const ledgerRecord = (item: LedgerLineItem) => ({
  ...ledgerLineKey(item.workspaceId, item.id),
  ...item,
});

const money = (amountCents: number) => ({ amountCents, currency });

/** The Billing of the contract. */
export function toBilling(workspace: Pick<WorkspaceItem, 'plan' | 'status'>, billing: BillingItem) {
  const prices = annualPrices(workspace.plan);
  const extra = extraNumbers(billing.seats, billing.numbers);
  return {
    plan: workspace.plan,
    status: workspace.status,
    periodStart: billing.periodStart,
    periodEnd: billing.periodEnd,
    seats: billing.seats,
    numbers: billing.numbers,
    includedNumbers: billing.numbers - extra,
    extraNumbers: extra,
    prices: {
      seatMonthly: money(prices.seatAnnualCents / 12),
      seatAnnual: money(prices.seatAnnualCents),
      extraNumberMonthly: money(prices.extraNumberAnnualCents / 12),
      extraNumberAnnual: money(prices.extraNumberAnnualCents),
    },
    renewal: {
      at: billing.periodEnd,
      amount: money(billing.seats * prices.seatAnnualCents + extra * prices.extraNumberAnnualCents),
    },
    creditBalance: money(billing.creditBalanceCents),
    due: money(billing.dueCents),
  };
}

/** A line as the contract shows it, without its id (as in a preview). */
export const toPricedLine = (line: PricedLine & { at: string; subject: { type: string; id: string } }) => ({
  at: line.at,
  kind: line.kind,
  reason: line.reason,
  quantity: line.quantity,
  unitAnnual: money(line.unitAnnualCents),
  days: line.days,
  daysInPeriod: line.daysInPeriod,
  amount: money(line.amountCents),
  periodStart: line.periodStart,
  periodEnd: line.periodEnd,
  balanceAfter: money(line.balanceAfterCents),
  subject: line.subject,
});

/** A LedgerLine of the contract. */
export const toLedgerLine = (line: LedgerLineItem) => ({ id: line.id, ...toPricedLine(line) });
