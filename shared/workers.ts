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
  /** DynamoDB actions it performs; its function is granted exactly these. */
  table: { actions: TableAction[] };
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
} as const satisfies Record<string, WorkerDefinition>;

export const workerList: WorkerDefinition[] = Object.values(workers);
