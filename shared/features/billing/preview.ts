import { requireActive } from '../../access/guards';
import type { WorkspaceItem } from '../../access/tenancy';
import { AppError } from '../../core/errors';
import { billingOf } from './account';
import { accountOf, currency, toPricedLine } from './items';
import { billChange, type Change, type PricedLine } from './ledger';
import { dayOf } from './proration';

const outOfRange = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', undefined, { fieldErrors: [{ path, message }] });

/** A change priced on the billing item as it is now, by the change's own code (`billChange`). */
async function priced(workspace: WorkspaceItem, change: Change, now: Date) {
  // An inactive workspace refuses every change: there is nothing to price.
  requireActive(workspace);
  const { item } = await billingOf(workspace, now);
  if (item.seats + (change.seats ?? 0) < 1)
    throw outOfRange('seats', `The workspace has ${item.seats} seats, and keeps one at least.`);
  if (item.numbers + (change.numbers ?? 0) < 0)
    throw outOfRange('numbers', `The workspace has ${item.numbers} numbers.`);
  return { item, billed: billChange(accountOf(workspace, item), change, dayOf(now)) };
}

const total = (lines: PricedLine[], kind: PricedLine['kind']) =>
  lines.filter((line) => line.kind === kind).reduce((sum, line) => sum + line.amountCents, 0);

/**
 * What a change would bill today, from the same pricing the change itself
 * uses: on the same day, the preview is the charge.
 */
export async function previewChange(workspace: WorkspaceItem, change: Change, now: Date) {
  if (change.seats === undefined && change.numbers === undefined && change.plan === undefined)
    throw new AppError('EMPTY_UPDATE', 'Give seats, numbers or plan to price.');
  const { item, billed } = await priced(workspace, change, now);
  const at = now.toISOString();
  const subject = { type: 'workspace', id: workspace.id };
  return {
    lines: billed.lines.map((line) => toPricedLine({ ...line, at, subject })),
    creditApplied: { amountCents: total(billed.lines, 'creditApplied'), currency },
    due: { amountCents: billed.account.dueCents - item.dueCents, currency },
    balanceAfter: { amountCents: billed.account.creditBalanceCents, currency },
  };
}

/**
 * What a batch of invitations would bill if every one were accepted today:
 * the seats' charge net of the extra numbers they make included, before
 * the credit balance pays any of it (a renewal that falls due first is not
 * the batch's). An accept on a later day costs a little less.
 */
export async function seatsImpact(workspace: WorkspaceItem, seatsAdded: number, now: Date) {
  if (seatsAdded === 0) return { seatsAdded, chargeToday: { amountCents: 0, currency } };
  const { billed } = await priced(workspace, { seats: seatsAdded }, now);
  const own = billed.lines.filter((line) => line.reason !== 'renewal');
  return {
    seatsAdded,
    chargeToday: { amountCents: total(own, 'charge') - total(own, 'credit'), currency },
  };
}
