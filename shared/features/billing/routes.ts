import { workspacePath } from '../../http/paths';
import type { RouteDefinition } from '../../http/route';
import { noInput, pageOnlyQuery, workspaceParams } from '../../http/schemas';
import { billingSchema, ledgerLineSchema, planBody, previewBody, previewSchema } from './schemas';

const billingPath = `${workspacePath}/billing`;

/** The billing impact of seats and numbers: the bill, its ledger, and the price of a change before it is made. */
export const routes = {
  getBilling: {
    operation: 'getBilling',
    handler: 'functions/billing/getBilling.ts',
    method: 'GET',
    path: billingPath,
    summary:
      'The bill: plan, period, seats and numbers (included and extra), prices, the next renewal, credit and due.',
    access: 'billing.manage',
    loadsWorkspace: true,
    input: { params: workspaceParams, query: noInput },
    response: { status: 200, kind: 'item', schema: billingSchema },
    table: { actions: ['GetItem', 'Query'] },
  },
  listBillingLedger: {
    operation: 'listBillingLedger',
    handler: 'functions/billing/listBillingLedger.ts',
    method: 'GET',
    path: `${billingPath}/ledger`,
    summary:
      'The ledger, newest first: every charge, credit, credit applied and credit expired, with its proration.',
    access: 'billing.manage',
    loadsWorkspace: true,
    input: { params: workspaceParams, query: pageOnlyQuery },
    response: { status: 200, kind: 'list', schema: ledgerLineSchema },
    table: { actions: ['Query'] },
  },
  previewBilling: {
    operation: 'previewBilling',
    handler: 'functions/billing/previewBilling.ts',
    method: 'POST',
    path: `${billingPath}/preview`,
    summary:
      'What adding (positive) or removing (negative) seats or numbers, or changing plan, would bill today: the same pricing as the change itself.',
    access: 'billing.manage',
    loadsWorkspace: true,
    input: { params: workspaceParams, query: noInput, body: previewBody },
    response: { status: 200, kind: 'item', schema: previewSchema },
    table: { actions: ['GetItem', 'Query'] },
    alsoFailsWith: [409],
  },
  changePlan: {
    operation: 'changePlan',
    handler: 'functions/billing/changePlan.ts',
    method: 'PATCH',
    path: billingPath,
    summary:
      'Another plan, at once: the price difference of every seat for the rest of the period, charged or credited. 409 PLAN_LIMITS_EXCEEDED while the workspace uses what the plan lacks.',
    access: 'billing.manage',
    loadsWorkspace: true,
    input: { params: workspaceParams, query: noInput, body: planBody },
    response: { status: 200, kind: 'item', schema: billingSchema },
    table: { actions: ['GetItem', 'Query', 'UpdateItem', 'PutItem', 'ConditionCheckItem'] },
    alsoFailsWith: [409],
  },
  cancelSubscription: {
    operation: 'cancelSubscription',
    handler: 'functions/billing/cancelSubscription.ts',
    method: 'POST',
    path: `${billingPath}/cancel`,
    summary:
      'Cancel the subscription (an owner): the workspace is cancelled at once, every change is refused after, the credit expires, nothing is refunded.',
    access: 'billing.manage',
    loadsWorkspace: true,
    input: { params: workspaceParams, query: noInput },
    response: { status: 200, kind: 'item', schema: billingSchema },
    table: { actions: ['GetItem', 'Query', 'UpdateItem', 'PutItem', 'ConditionCheckItem'] },
    alsoFailsWith: [409],
  },
} as const satisfies Record<string, RouteDefinition>;
