import { CfnParameter, Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Rule } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { workers } from '../shared/workers';
import { dailyJob } from './daily-job';
import type { ServiceFunction } from './service-function';

export interface DomainChecksProps {
  readonly table: ITable;
  /** The base environment of every function (infra/runtime.ts). */
  readonly environment: Record<string, string>;
  /** The web app's base URL, linked from the lapse email. */
  readonly appUrl: string;
}

/**
 * The claim is a lease: once a day, a rule runs the recheckDomains function,
 * which expires pending claims past 7 days, looks the verified and lapsed
 * domains up again, and lapses or restores them. It may only read and update
 * the table (the claimed-domain list on GSI1, the Owners and Admins to email
 * on GSI2) and queue emails there: it sends nothing itself.
 */
export class DomainChecks extends Construct {
  readonly function: ServiceFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: DomainChecksProps) {
    super(scope, id);
    const grace = new CfnParameter(this, 'DomainGraceHours', {
      type: 'Number',
      default: 72,
      minValue: 1,
      maxValue: 720,
      description:
        'How long a verified domain’s TXT record may be missing (counted from when it was last seen) before the domain lapses and nobody joins through it.',
    });
    grace.overrideLogicalId('DomainGraceHours');
    const job = dailyJob(this, 'Recheck', {
      worker: workers.recheckDomains,
      table: props.table,
      // Lookups of dead domains wait for their timeouts: the run stops a minute before this and the next one goes on.
      timeout: Duration.minutes(15),
      environment: {
        ...props.environment,
        DOMAIN_GRACE_HOURS: grace.valueAsString,
        APP_URL: props.appUrl,
      },
      ruleDescription: 'Re-checks the claimed email domains once a day',
    });
    this.function = job.function;
    this.rule = job.rule;
  }
}
