import { CfnCondition, CfnParameter, Duration, Fn } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSubscription, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  metricsNamespace,
  operationDimension,
  requestMetricNames,
  serviceName,
} from '../shared/core/service';

export interface MonitoringProps {
  readonly api: HttpApi;
  readonly table: Table;
  /** Every function, by its operation (or worker) name. */
  readonly functions: Record<string, IFunction>;
  /** The mail path: its queue, its dead-letter queue and the pipe that feeds it. */
  readonly mail: {
    readonly queue: IQueue;
    readonly deadLetters: IQueue;
    readonly eventDeadLetters: IQueue;
    readonly pipeName: string;
  };
}

const period = Duration.minutes(5);
/** A metric math expression may read at most 10 metrics: functions are summed ten at a time. */
const metricsPerExpression = 10;
/** The DynamoDB operations the functions send. */
const tableOperations = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

/** The alarms' names, each with its runbook entry in docs/operations.md. */
export const alarmNames = {
  api5xxRate: 'Api5xxRate',
  lambdaErrors: 'LambdaErrors',
  lambdaThrottles: 'LambdaThrottles',
  tableThrottles: 'DynamoDbThrottledRequests',
  tableSystemErrors: 'DynamoDbSystemErrors',
  sesBounceRate: 'SesBounceRate',
  sesComplaintRate: 'SesComplaintRate',
  mailDeadLetters: 'MailDeadLetters',
  mailPipeFailures: 'MailPipeFailures',
  emailEventDeadLetters: 'EmailEventDeadLetters',
} as const;

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );

/** The sum of one Lambda metric over some functions, missing data counted as none. */
function sumOver(functions: [string, IFunction][], metric: (fn: IFunction) => Metric, label: string) {
  const usingMetrics = Object.fromEntries(functions.map(([, fn], index) => [`m${index}`, metric(fn)]));
  return new MathExpression({
    expression: `SUM([${Object.keys(usingMetrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(', ')}])`,
    usingMetrics,
    label,
    period,
  });
}

/**
 * The service's alarms, on one SNS topic (with an email subscription when
 * the AlarmEmail parameter is set), and a dashboard of the figures per
 * operation. Runbook: docs/operations.md.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    // Unencrypted: alarm notifications carry alarm names and states, no personal data, and CloudWatch can
    // publish to an encrypted topic only with a customer-managed KMS key, which costs at rest.
    this.topic = new Topic(this, 'AlarmTopic', { displayName: `${serviceName} alarms`, enforceSSL: true });
    this.subscribeAlarmEmail();

    const operations = Object.keys(props.functions).sort();
    const functions = operations.map(
      (operation) => [operation, props.functions[operation] as IFunction] as [string, IFunction],
    );
    const action = new SnsAction(this.topic);
    /** An alarm; `runbook` names its entry in docs/operations.md when it is one of a group (LambdaErrors2…). */
    const alarm = (
      name: string,
      metric: IMetric,
      threshold: number,
      description: string,
      options: { evaluationPeriods?: number; runbook?: string } = {},
    ) => {
      const created = new Alarm(this, name, {
        metric,
        alarmName: `${serviceName}-${name}`,
        alarmDescription: `${description} Runbook: docs/operations.md#${(options.runbook ?? name).toLowerCase()}`,
        threshold,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    // API: the share of requests answered 5xx, once there is traffic enough to speak of a share.
    const api5xxRate = new MathExpression({
      expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
      usingMetrics: {
        requests: props.api.metricCount({ period, statistic: 'Sum' }),
        errors: props.api.metricServerError({ period, statistic: 'Sum' }),
      },
      label: 'API 5xx rate (%)',
      period,
    });
    alarm(alarmNames.api5xxRate, api5xxRate, 1, 'At least 1% of API requests answered 5xx over 5 minutes.', {
      evaluationPeriods: 2,
    });

    // Lambda: failed invocations (timeouts, crashes, init errors) and throttles, summed over every function.
    chunks(functions, metricsPerExpression).forEach((group, index) => {
      const suffix = index === 0 ? '' : `${index + 1}`;
      alarm(
        `${alarmNames.lambdaErrors}${suffix}`,
        sumOver(group, (fn) => fn.metricErrors({ period, statistic: 'Sum' }), 'Lambda errors'),
        1,
        `A function failed (timeout, crash or init error): ${group.map(([name]) => name).join(', ')}.`,
        { runbook: alarmNames.lambdaErrors },
      );
      alarm(
        `${alarmNames.lambdaThrottles}${suffix}`,
        sumOver(group, (fn) => fn.metricThrottles({ period, statistic: 'Sum' }), 'Lambda throttles'),
        1,
        `A function was throttled: ${group.map(([name]) => name).join(', ')}.`,
        { runbook: alarmNames.lambdaThrottles },
      );
    });

    // DynamoDB: throttled requests and service-side errors, over the operations the functions send.
    const tableThrottles = props.table.metricThrottledRequestsForOperations({
      operations: tableOperations,
      period,
    });
    const tableSystemErrors = props.table.metricSystemErrorsForOperations({
      operations: tableOperations,
      period,
    });
    alarm(alarmNames.tableThrottles, tableThrottles, 1, 'DynamoDB throttled requests of the table.');
    alarm(
      alarmNames.tableSystemErrors,
      tableSystemErrors,
      1,
      'DynamoDB answered requests with a server error.',
    );

    // SES: the account's reputation; AWS reviews an account from a 5% bounce or a 0.1% complaint rate.
    const sesReputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    const bounceRate = sesReputation('Reputation.BounceRate');
    const complaintRate = sesReputation('Reputation.ComplaintRate');
    alarm(alarmNames.sesBounceRate, bounceRate, 0.04, 'The SES bounce rate reached 4% (AWS reviews at 5%).');
    alarm(alarmNames.sesComplaintRate, complaintRate, 0.001, 'The SES complaint rate reached 0.1%.');

    // Mail: messages the mailer gave up on after every receive, and stream records the pipe could not queue.
    const deadLetters = props.mail.deadLetters.metricApproximateNumberOfMessagesVisible({
      period,
      statistic: 'Maximum',
    });
    alarm(alarmNames.mailDeadLetters, deadLetters, 1, 'Emails are in the mail dead-letter queue.');
    const pipeFailures = new Metric({
      namespace: 'AWS/EventBridge/Pipes',
      metricName: 'ExecutionFailed',
      dimensionsMap: { PipeName: props.mail.pipeName },
      statistic: 'Sum',
      period,
    });
    alarm(
      alarmNames.mailPipeFailures,
      pipeFailures,
      1,
      'The pipe failed to move outbox items to the mail queue.',
    );
    const eventDeadLetters = props.mail.eventDeadLetters.metricApproximateNumberOfMessagesVisible({
      period,
      statistic: 'Maximum',
    });
    alarm(
      alarmNames.emailEventDeadLetters,
      eventDeadLetters,
      1,
      'SES events (deliveries, bounces, complaints) were not applied after every retry.',
    );
    const queueAge = props.mail.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: serviceName,
      defaultInterval: Duration.hours(3),
    });
    const perOperation = (metricName: string, statistic: string) =>
      operations.map(
        (operation) =>
          new Metric({
            namespace: metricsNamespace,
            metricName,
            dimensionsMap: { service: serviceName, [operationDimension]: operation },
            statistic,
            period,
            label: operation,
          }),
      );
    const graph = (title: string, left: IMetric[]) => new GraphWidget({ title, left, width: 12, height: 8 });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# ${serviceName}\nPer operation, from the functions' embedded metrics. Alarms and what to do: docs/operations.md.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Requests per operation', perOperation(requestMetricNames.requests, 'Sum')),
      graph('Duration p99 per operation (ms)', perOperation(requestMetricNames.duration, 'p99')),
    );
    this.dashboard.addWidgets(
      graph('4xx per operation', perOperation(requestMetricNames.clientErrors, 'Sum')),
      graph('5xx per operation', perOperation(requestMetricNames.serverErrors, 'Sum')),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors per function',
        functions.map(([operation, fn]) => fn.metricErrors({ period, statistic: 'Sum', label: operation })),
      ),
      graph(
        'Lambda throttles per function',
        functions.map(([operation, fn]) =>
          fn.metricThrottles({ period, statistic: 'Sum', label: operation }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph('API requests and 5xx rate (%)', [
        props.api.metricCount({ period, statistic: 'Sum' }),
        api5xxRate,
      ]),
      graph('DynamoDB throttled requests', [tableThrottles]),
    );
    this.dashboard.addWidgets(
      graph('DynamoDB system errors', [tableSystemErrors]),
      graph('SES bounce and complaint rates', [bounceRate, complaintRate]),
    );
    this.dashboard.addWidgets(
      graph('Mail queue: oldest email waiting (s)', [queueAge]),
      graph('Mail dead letters, pipe failures, unapplied SES events', [
        deadLetters,
        pipeFailures,
        eventDeadLetters,
      ]),
    );
  }

  /** Emails the alarms to the AlarmEmail parameter's address, when one is given. */
  private subscribeAlarmEmail(): void {
    const alarmEmail = new CfnParameter(this, 'AlarmEmail', {
      type: 'String',
      default: '',
      description:
        'Optional: an address that receives the alarms (confirm the subscription email SNS sends).',
      allowedPattern: '^$|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
      constraintDescription: 'must be empty or an email address',
    });
    // The parameter's logical id stays "AlarmEmail", as the README and `cdk deploy --parameters` name it.
    alarmEmail.overrideLogicalId('AlarmEmail');
    const hasAlarmEmail = new CfnCondition(this, 'HasAlarmEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(alarmEmail.valueAsString, '')),
    });
    const subscription = new CfnSubscription(this, 'AlarmEmailSubscription', {
      topicArn: this.topic.topicArn,
      protocol: 'email',
      endpoint: alarmEmail.valueAsString,
    });
    subscription.cfnOptions.condition = hasAlarmEmail;
  }
}
