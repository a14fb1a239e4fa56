import type { BenchUser } from './http';
import { type BenchContext, nth, pageSize, type Scenario } from './scenario';

/**
 * Billing's own routes. The 1,000-member workspace has its billing item
 * (seeded as its creation would write it); the ledger's page is read from a
 * workspace of 150 lines; plan changes and cancellations run on small
 * workspaces of their own (a plan change reads the workspace's numbers for
 * what the plan would not allow, and the big one has a thousand).
 */
export function createBillingScenarios(context: BenchContext): Scenario[] {
  const { seed, api, workspaceId, owner } = context;
  const billingOf = (id: string) => `/v1/workspaces/${id}/billing`;
  let ledgerWorkspace = '';
  let planWorkspace = '';
  const cancelled: string[] = [];
  let soloOwner: BenchUser | undefined;

  /** A workspace of one owner, with its billing item. */
  async function smallWorkspace(name: string, person: BenchUser, ledgerLines = 1): Promise<string> {
    const id = await seed.seedWorkspace(name, [{ ...person, role: 'owner' }]);
    await seed.seedBilling(id, { seats: 1, ledgerLines });
    return id;
  }

  async function signedInOwner(): Promise<BenchUser> {
    if (soloOwner) return soloOwner;
    const [person] = seed.newPeople(1, 'billing-owner');
    if (!person) throw new Error('no person');
    soloOwner = await seed.signIn(person);
    return soloOwner;
  }

  const getBilling: Scenario = {
    name: 'getBilling',
    operation: 'getBilling',
    expectedRequests: 2,
    note: 'BatchGetItem (caller, workspace) + GetItem (the billing item): one request after authorization',
    run: () => api.get(owner, billingOf(workspaceId)),
  };

  const ledger: Scenario = {
    name: `listBillingLedger (150 lines, page of ${pageSize})`,
    operation: 'listBillingLedger',
    expectedRequests: 2,
    note: 'BatchGetItem (caller, workspace) + one Query of the workspace’s ledger lines, newest first',
    async prepare() {
      ledgerWorkspace = await smallWorkspace('Ledger', await signedInOwner(), 150);
    },
    run: async () => api.get(await signedInOwner(), `${billingOf(ledgerWorkspace)}/ledger?limit=${pageSize}`),
  };

  const preview: Scenario = {
    name: 'previewBilling',
    operation: 'previewBilling',
    expectedRequests: 2,
    note: 'BatchGetItem (caller, workspace) + GetItem (the billing item); priced in memory, nothing written',
    run: () => api.post(owner, `${billingOf(workspaceId)}/preview`, { seats: 1 }),
  };

  const changePlan: Scenario = {
    name: 'changePlan',
    operation: 'changePlan',
    expectedRequests: 4,
    note: 'BatchGetItem (caller, workspace) + Query (its numbers: what the plan would not allow) + GetItem (the billing item) + TransactWriteItems (the plan, the checks, the billing item, the plan line, the audit event)',
    async prepare() {
      planWorkspace = await smallWorkspace('Plans', await signedInOwner());
    },
    run: async (i) =>
      api.patch(await signedInOwner(), billingOf(planWorkspace), {
        plan: i % 2 === 0 ? 'scale' : 'business',
      }),
  };

  const cancel: Scenario = {
    name: 'cancelSubscription',
    operation: 'cancelSubscription',
    expectedRequests: 3,
    note: 'BatchGetItem (caller, workspace) + GetItem (the billing item) + TransactWriteItems (the status, the owner check, the billing item off the renewal list, the audit event)',
    async prepare() {
      const person = await signedInOwner();
      for (let i = 0; i < context.iterations; i++)
        cancelled.push(await smallWorkspace(`Cancel ${i}`, person));
    },
    run: async (i) => api.post(await signedInOwner(), `${billingOf(nth(cancelled, i))}/cancel`),
  };

  return [getBilling, ledger, preview, changePlan, cancel];
}
