import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { workers } from '../shared/workers';
import { dailyJob } from './daily-job';
import type { ServiceFunction } from './service-function';

export interface RenewalsProps {
  readonly table: ITable;
  /** The base environment of every function (infra/runtime.ts). */
  readonly environment: Record<string, string>;
}

/**
 * Subscriptions renew on the day their period ends: once a day, a rule runs
 * the renewSubscriptions function, which reads the due renewals from their
 * list (GSI1) and writes each renewal's lines with its billing item. A run
 * that is late or missed costs nothing: the next one renews every period
 * that ended, and a billed change renews first anyway.
 */
export class Renewals extends Construct {
  readonly function: ServiceFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: RenewalsProps) {
    super(scope, id);
    const job = dailyJob(this, 'Renew', {
      worker: workers.renewSubscriptions,
      table: props.table,
      // A page of 100 renewals takes about a second: the run stops half a minute before this and the next goes on.
      timeout: Duration.minutes(5),
      environment: props.environment,
      ruleDescription: 'Renews the subscriptions whose period ended, once a day',
      // Periods end at UTC midnight: renewed minutes after, not up to a day late.
      schedule: Schedule.cron({ minute: '5', hour: '0' }),
    });
    this.function = job.function;
    this.rule = job.rule;
  }
}
