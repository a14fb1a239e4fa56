import { gsi1, gsi2 } from './db/table';
import type { TableAction } from './http/route';

/**
 * A function no route calls: a queue or an event rule invokes it. CDK wires
 * each to its trigger (infra/email.ts), the local stack runs the same
 * handlers in process, and the bench imports them like the routes' functions.
 */
export interface WorkerDefinition {
  name: string;
  /** The handler's file, from the repository root. */
  handler: string;
  description: string;
  /** DynamoDB actions it performs, and the indexes it queries; its function is granted exactly these. */
  table: { actions: TableAction[]; indexes?: string[] };
}

export const workers = {
  mailer: {
    name: 'mailer',
    handler: 'functions/email/mailer.ts',
    description: 'Sends the queued emails through SES, within the send rate',
    // Claims (a state update with the suppression and source checks), releases and settles messages and deliveries.
    table: { actions: ['GetItem', 'UpdateItem', 'ConditionCheckItem'] },
  },
  emailEvents: {
    name: 'emailEvents',
    handler: 'functions/email/emailEvents.ts',
    description: 'Applies SES delivery events to the emails and suppresses dead addresses',
    table: { actions: ['GetItem', 'UpdateItem', 'PutItem'] },
  },
  recheckDomains: {
    name: 'recheckDomains',
    handler: 'functions/domains/recheckDomains.ts',
    description: 'Re-checks the claimed domains daily: expires, lapses and restores them',
    // Pages the claimed-domain list (GSI1), reads the Owners and Admins to email (GSI2) and the workspace's name;
    // updates claims and holders, writes audit events and queued emails, and its checkpoint when it stops early.
    table: { actions: ['Query', 'GetItem', 'UpdateItem', 'PutItem', 'DeleteItem'], indexes: [gsi1, gsi2] },
  },
  renewSubscriptions: {
    name: 'renewSubscriptions',
    handler: 'functions/billing/renewSubscriptions.ts',
    description:
      'Renews the subscriptions whose period ended, daily: a renewal charge paid from credit first',
    // Pages the due renewals (GSI1), reads each workspace with its billing item, and writes the billing item with
    // its renewal lines in one transaction.
    table: { actions: ['Query', 'BatchGetItem', 'PutItem'], indexes: [gsi1] },
  },
} as const satisfies Record<string, WorkerDefinition>;

export const workerList: WorkerDefinition[] = Object.values(workers);
