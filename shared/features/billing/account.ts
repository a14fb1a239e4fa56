import type { WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { batchGetConsistent, getConsistent, itemAt } from '../../db/batch';
import { dynamo, tableName } from '../../db/client';
import { billingKey, workspaceKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import {
  accountFields,
  accountOf,
  type BillingItem,
  billingRecord,
  firstBilling,
  type LedgerLineItem,
  ledgerRecord,
} from './items';
import { type Account, type Billed, billChange, type Change, type PricedLine } from './ledger';
import { countNumbers } from './number-count';
import { type Day, dayOf } from './proration';

interface BillingRead {
  item: BillingItem;
  stored: boolean;
}

/** The billing item as it is, or the first one of a workspace from before billing (not yet written). */
async function withFirst(
  workspace: WorkspaceItem,
  stored: BillingItem | undefined,
  now: Date,
): Promise<BillingRead> {
  if (stored) return { item: stored, stored: true };
  return {
    item: firstBilling(workspace, await countNumbers(workspace.id, dynamo, tableName), now),
    stored: false,
  };
}

/** The billing item of a workspace already read: one GetItem. */
export async function billingOf(workspace: WorkspaceItem, now: Date): Promise<BillingRead> {
  return withFirst(workspace, await getConsistent<BillingItem>(billingKey(workspace.id)), now);
}

/** The workspace (for its plan) and its billing item, for an operation that has not read the workspace: one BatchGetItem. */
async function workspaceAndBilling(workspaceId: string, now: Date) {
  const found = await batchGetConsistent([workspaceKey(workspaceId), billingKey(workspaceId)]);
  const workspace = itemAt(found, workspaceKey(workspaceId)) as WorkspaceItem | undefined;
  if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND');
  const stored = itemAt(found, billingKey(workspaceId)) as BillingItem | undefined;
  return { workspace, billing: await withFirst(workspace, stored, now) };
}

/** Raised by a billed change's write when another change moved the billing item first: price again. */
class BillingChanged extends Error {
  constructor() {
    super('The billing item changed since it was read');
    this.name = 'BillingChanged';
  }
}

/**
 * What a billed change adds to its own transaction: the billing item moved
 * from the revision it was priced on (or created, the first time), and one
 * item per ledger line, append-only. Line ids follow the revision the change
 * commits, then the change's own order.
 */
function billingSteps(
  before: BillingRead,
  after: Account,
  lines: PricedLine[],
  subject: { type: string; id: string },
  context: Pick<RequestContext, 'now'>,
): { steps: TransactStep[]; item: BillingItem } {
  const next: BillingItem = {
    workspaceId: before.item.workspaceId,
    ...accountFields(after),
    revision: before.item.revision + 1,
  };
  // Ordered by the billing item's revision, not the clock: a change retried
  // after another's commit lists after it, and each balanceAfter follows the line before.
  const base = `LL${String(next.revision).padStart(12, '0')}`;
  const at = context.now.toISOString();
  const steps: TransactStep[] = [
    {
      put: {
        Item: billingRecord(next, { renews: !after.cancelled }),
        ConditionExpression: before.stored ? 'revision = :seen' : 'attribute_not_exists(PK)',
        ...(before.stored ? { ExpressionAttributeValues: { ':seen': before.item.revision } } : {}),
      },
      onConditionFailed: () => new BillingChanged(),
    },
    ...lines.map((line, index): TransactStep => {
      const item: LedgerLineItem = {
        ...line,
        id: `${base}${String(index).padStart(2, '0')}`,
        workspaceId: before.item.workspaceId,
        at,
        subject,
      };
      return { put: { Item: ledgerRecord(item), ConditionExpression: 'attribute_not_exists(PK)' } };
    }),
  ];
  return { steps, item: next };
}

/**
 * Runs a billed change again (reading afresh) while another change wins the
 * billing item first: a workspace's billed changes are serialized by it.
 */
async function retryingBilling<T>(run: () => Promise<T>, attempts = 30): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof BillingChanged)) throw error;
      if (attempt >= attempts) throw new AppError('CONCURRENT_UPDATE');
      // Full jitter, growing to 200 ms: twenty changes at once all get through.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}

/**
 * Writes a change's own steps with its billing, in one transaction: the
 * billing item is read (one GetItem), the change priced on it, and its
 * lines and the moved billing item join the steps. When another billed
 * change moved the billing item first, it is read and priced again; the
 * change's own steps keep their own conditions. Steps given as a function
 * are built after each read of the billing item: what they read first (a plan
 * change, the numbers) is then covered by its revision. Answers the billing
 * item as the transaction left it.
 */
export function billedTransact(
  workspace: WorkspaceItem | string,
  change: Change | ((account: Account, day: Day) => Billed),
  subject: { type: string; id: string },
  context: Pick<RequestContext, 'now'>,
  steps: TransactStep[] | (() => Promise<TransactStep[]>),
): Promise<BillingItem> {
  return retryingBilling(async () => {
    // An operation that read the workspace passes it; another names it, and it is read with the billing item.
    const { workspace: current, billing: before } =
      typeof workspace === 'string'
        ? await workspaceAndBilling(workspace, context.now)
        : { workspace, billing: await billingOf(workspace, context.now) };
    const own = typeof steps === 'function' ? await steps() : steps;
    const account = accountOf(current, before.item);
    // A cancelled workspace refuses every change (its steps' own guards would, after pricing).
    if (account.cancelled && typeof change !== 'function') throw new AppError('WORKSPACE_INACTIVE');
    const billed =
      typeof change === 'function'
        ? change(account, dayOf(context.now))
        : billChange(account, change, dayOf(context.now));
    // Nothing to write (a renewal another run made first): no transaction at all.
    if (own.length === 0 && billed.lines.length === 0 && billed.account.periodEnd === account.periodEnd)
      return before.item;
    const billing = billingSteps(before, billed.account, billed.lines, subject, context);
    await transact([...own, ...billing.steps]);
    return billing.item;
  });
}

/**
 * The billing of a new workspace, in its creating transaction: the billing
 * item, its period from today, and the creator's seat at the annual price.
 */
export function openingSteps(
  workspace: WorkspaceItem,
  subject: { type: string; id: string },
  context: Pick<RequestContext, 'now'>,
): TransactStep[] {
  const empty: BillingItem = {
    ...firstBilling({ ...workspace, memberCount: 0 }, 0, context.now),
    revision: 0,
  };
  const billed = billChange(
    accountOf(workspace, empty),
    { seats: workspace.memberCount },
    dayOf(context.now),
  );
  return billingSteps({ item: empty, stored: false }, billed.account, billed.lines, subject, context).steps;
}
