import { Aws, CfnMapping, CfnParameter, Duration, Fn, Token, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { outboxStreamFilter } from '../shared/email/outbox';
import { maxReceives } from '../shared/email/queue';
import { workers } from '../shared/workers';
import { mailerPlan, offeredSendRates } from './send-rate';
import { ServiceFunction, tableStatement } from './service-function';

export interface EmailProps {
  readonly table: Table;
  /** The base environment of every function (infra/runtime.ts). */
  readonly environment: Record<string, string>;
  /** The one address emails come from (the SenderEmail parameter). */
  readonly senderEmail: string;
  /** The default of the MaxSendRate parameter. */
  readonly defaultSendRate: number;
}

/** The mailer's timeout: a batch at the slowest pace (5 emails, 2 s apart), with retries, fits well within it. */
const mailerTimeout = Duration.seconds(60);

/**
 * The way every email goes: an operation writes it to the outbox in its own
 * transaction; the table's stream carries each new outbox item through an
 * EventBridge Pipe (filtered to outbox inserts) to the mail queue; the
 * mailer, the only function allowed to send, sends it within the account's
 * send rate; SES's events (a configuration set publishing to EventBridge)
 * come back to the emailEvents function, which updates the deliveries and
 * suppresses dead addresses.
 */
export class Email extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  /** SES events the emailEvents function could not take or apply, after every retry. */
  readonly eventDeadLetters: Queue;
  readonly pipe: CfnPipe;
  readonly configurationSet: ConfigurationSet;
  readonly mailer: ServiceFunction;
  readonly events: ServiceFunction;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    const sendRate = new CfnParameter(this, 'MaxSendRate', {
      type: 'Number',
      default: props.defaultSendRate,
      allowedValues: offeredSendRates.map(String),
      description:
        'The SES account’s maximum send rate (emails per second, see the SES console): the largest offered value not above it. The sandbox allows 1.',
    });
    sendRate.overrideLogicalId('MaxSendRate');
    const plans = new CfnMapping(this, 'MailerByRate', {
      mapping: Object.fromEntries(
        offeredSendRates.map((rate) => {
          const plan = mailerPlan(rate);
          return [
            String(rate),
            {
              concurrency: plan.concurrency,
              batchSize: plan.batchSize,
              sendIntervalMs: String(plan.sendIntervalMs),
            },
          ];
        }),
      ),
    });
    const planned = (key: keyof ReturnType<typeof mailerPlan>) =>
      plans.findInMap(sendRate.valueAsString, key);

    this.deadLetters = this.deadLetterQueue('DeadLetters');
    this.queue = this.encryptedQueue('Queue', {
      // AWS's advice for a Lambda consumer: six times the function's timeout.
      visibilityTimeout: Duration.seconds(mailerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: maxReceives },
    });

    // The workspace's suppressed addresses decide, not SES's account-level list: that list would carry one
    // workspace's bounce over to every other, and no owner could clear it from the API.
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', { disableSuppressionList: true });
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.RENDERING_FAILURE,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
      ],
    });

    const concurrency = Token.asNumber(planned('concurrency'));
    this.mailer = new ServiceFunction(this, 'Mailer', {
      entry: workers.mailer.handler,
      description: workers.mailer.description,
      timeout: mailerTimeout,
      reservedConcurrency: concurrency,
      statements: [
        tableStatement(props.table, workers.mailer.table.actions),
        this.sendStatement(props.senderEmail),
      ],
      environment: {
        ...props.environment,
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
        MAILER_SEND_INTERVAL_MS: planned('sendIntervalMs'),
        // Past two timeouts, the mailer that claimed a message is over (the queue redelivers after six).
        MAILER_CLAIM_EXPIRY_MS: String(mailerTimeout.toMilliseconds() * 2),
      },
    });
    // Reserved concurrency caps the instances; the event source's maximum concurrency keeps SQS from invoking
    // more than that, so no batch is ever throttled back into the queue (and toward the DLQ).
    this.mailer.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: Token.asNumber(planned('batchSize')),
        maxConcurrency: concurrency,
        reportBatchItemFailures: true,
      }),
    );

    this.pipe = this.createPipe(props.table);

    this.eventDeadLetters = this.deadLetterQueue('EventDeadLetters');
    this.events = new ServiceFunction(this, 'Events', {
      entry: workers.emailEvents.handler,
      description: workers.emailEvents.description,
      statements: [tableStatement(props.table, workers.emailEvents.table.actions)],
      environment: props.environment,
      // An event the function failed on after Lambda's two retries: a bounce must not vanish.
      deadLetterQueue: this.eventDeadLetters,
    });
    new Rule(this, 'SesEvents', {
      description: 'SES events of the service’s configuration set, to the emailEvents function',
      eventPattern: {
        source: ['aws.ses'],
        detail: {
          mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } },
        },
      },
      // And one EventBridge could not hand to the function at all.
      targets: [
        new LambdaFunction(this.events.function, {
          retryAttempts: 8,
          deadLetterQueue: this.eventDeadLetters,
        }),
      ],
    });
  }

  /** SSE-SQS encryption (free) and HTTPS only; the mail queue's messages are stream records of sealed outbox items. */
  private encryptedQueue(id: string, props: QueueProps): Queue {
    return new Queue(this, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  }

  /** Kept 14 days, SQS's longest: time to find the cause and redrive. */
  private deadLetterQueue(id: string): Queue {
    return this.encryptedQueue(id, { retentionPeriod: Duration.days(14) });
  }

  /** Sending from the one sender address, with the configuration set, and nothing else of SES. */
  private sendStatement(senderEmail: string): PolicyStatement {
    const arn = (resource: string) => `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    return new PolicyStatement({
      sid: 'SendEmail',
      effect: Effect.ALLOW,
      actions: ['ses:SendEmail'],
      // SES authorizes against the verified identity (the address itself, or its domain) and the configuration set.
      resources: [
        arn(`identity/${senderEmail}`),
        arn(`identity/${Fn.select(1, Fn.split('@', senderEmail))}`),
        arn(`configuration-set/${this.configurationSet.configurationSetName}`),
      ],
      conditions: { StringEquals: { 'ses:FromAddress': senderEmail } },
    });
  }

  /** Stream records of new outbox items → the mail queue, as they are. */
  private createPipe(table: Table): CfnPipe {
    const streamArn = table.tableStreamArn;
    if (!streamArn) throw new Error('The table needs its stream for the outbox');
    const role = new Role(this, 'PipeRole', {
      assumedBy: new ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Relays new outbox items from the table stream to the mail queue',
      inlinePolicies: {
        relay: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'ReadStream',
              effect: Effect.ALLOW,
              actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
              resources: [streamArn],
            }),
            new PolicyStatement({
              sid: 'ListStreams',
              effect: Effect.ALLOW,
              actions: ['dynamodb:ListStreams'],
              resources: ['*'],
            }),
            new PolicyStatement({
              sid: 'Queue',
              effect: Effect.ALLOW,
              actions: ['sqs:SendMessage'],
              resources: [this.queue.queueArn],
            }),
          ],
        }),
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams supports no resource-level permission (AWS requires "*"); it lists stream ARNs only. The stream reads name this table’s stream.',
    });
    return new CfnPipe(this, 'Pipe', {
      description: 'New outbox items, from the table stream to the mail queue',
      roleArn: role.roleArn,
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          // The oldest record still in the stream (24 hours): nothing committed before the pipe runs is skipped.
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10,
          // Retried until it reaches the queue, for as long as the stream keeps the record.
          maximumRetryAttempts: -1,
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(outboxStreamFilter) }] },
      },
      target: this.queue.queueArn,
    });
  }
}
