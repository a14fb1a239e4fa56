import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import type { WorkerDefinition } from '../shared/workers';
import { ServiceFunction, tableStatement } from './service-function';

/**
 * A worker run once a day by an EventBridge rule: its function, granted
 * exactly the worker's table actions and indexes, one run at a time (a
 * second run at once changes nothing twice, but there is no point in
 * racing), retried twice when it fails.
 */
export function dailyJob(
  scope: Construct,
  id: string,
  props: {
    worker: WorkerDefinition;
    table: ITable;
    environment: Record<string, string>;
    timeout: Duration;
    ruleDescription: string;
    /** When it runs: every 24 hours from the deployment unless a time of day is given. */
    schedule?: Schedule;
  },
): { function: ServiceFunction; rule: Rule } {
  const fn = new ServiceFunction(scope, id, {
    entry: props.worker.handler,
    description: props.worker.description,
    statements: [tableStatement(props.table, props.worker.table.actions, props.worker.table.indexes)],
    timeout: props.timeout,
    reservedConcurrency: 1,
    environment: props.environment,
  });
  const rule = new Rule(scope, 'Daily', {
    description: props.ruleDescription,
    schedule: props.schedule ?? Schedule.rate(Duration.days(1)),
    targets: [new LambdaFunction(fn.function, { retryAttempts: 2 })],
  });
  return { function: fn, rule };
}
