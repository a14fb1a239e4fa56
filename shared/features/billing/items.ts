import type { WorkspaceItem } from '../../access/tenancy';
import { billingKey, ledgerLineKey, renewalListKey } from '../../db/keys';
import { type Account, annualPrices, extraNumbers, type PricedLine } from './ledger';
import { dayOf, periodEndOf } from './proration';

export const currency = 'USD';

/**
 * A workspace's billing item: the period, the seats and numbers it counts,
 * its credit and what it owes. `revision` moves with every billed change:
 * each change's write is conditioned on the revision it priced from, so two
 * concurrent changes never price from the same balance.
 */
export interface BillingItem extends AccountFields {
  workspaceId: string;
  revision: number;
}

/**
 * What the billing item keeps of the account it prices: the plan (moved with
 * the workspace's, in the plan change's transaction), the period, the counts,
 * the credit and what is due.
 */
type AccountFields = Omit<Account, 'cancelled'>;

/** Those fields, picked one by one: an item read back also carries its keys, which must not travel. */
export const accountFields = (from: AccountFields): AccountFields => ({
  plan: from.plan,
  periodStart: from.periodStart,
  periodEnd: from.periodEnd,
  seats: from.seats,
  numbers: from.numbers,
  creditBalanceCents: from.creditBalanceCents,
  dueCents: from.dueCents,
});

/** A ledger line as stored: append-only, with what caused it. */
export interface LedgerLineItem extends PricedLine {
  id: string;
  workspaceId: string;
  at: string;
  subject: { type: string; id: string };
}

/**
 * The account a change is priced on: the billing item (its plan too, so the
 * revision condition covers it) and whether the workspace is cancelled.
 */
export const accountOf = (workspace: Pick<WorkspaceItem, 'status'>, billing: BillingItem): Account => ({
  ...accountFields(billing),
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
    plan: workspace.plan,
    periodStart,
    periodEnd,
    seats: workspace.memberCount,
    numbers,
    creditBalanceCents: 0,
    dueCents: 0,
    revision: 0,
  };
}

/**
 * The billing item as stored, field by field (an item read back carries its
 * old keys): on the list of due renewals, at its period's end, while the
 * subscription renews, and off it once cancelled.
 */
export const billingRecord = (item: BillingItem, options: { renews: boolean }) => ({
  workspaceId: item.workspaceId,
  ...accountFields(item),
  revision: item.revision,
  ...billingKey(item.workspaceId),
  ...(options.renews ? renewalListKey(item.workspaceId, item.periodEnd) : {}),
});
export const ledgerRecord = (item: LedgerLineItem) => ({
  ...ledgerLineKey(item.workspaceId, item.id),
  ...item,
});

const money = (amountCents: number) => ({ amountCents, currency });

/** The Billing of the contract. */
export function toBilling(workspace: Pick<WorkspaceItem, 'status'>, billing: BillingItem) {
  const prices = annualPrices(billing.plan);
  const extra = extraNumbers(billing.seats, billing.numbers);
  const renews = workspace.status !== 'cancelled';
  return {
    plan: billing.plan,
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
    // A cancelled subscription renews for nothing at its period's end.
    renewal: {
      at: billing.periodEnd,
      amount: money(
        renews ? billing.seats * prices.seatAnnualCents + extra * prices.extraNumberAnnualCents : 0,
      ),
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
