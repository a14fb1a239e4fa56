import path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { esbuildOptions } from './runtime';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export interface ServiceFunctionProps {
  /** The handler's file, from the repository root. */
  readonly entry: string;
  readonly description: string;
  /** The function's only rights besides writing its own logs and traces. */
  readonly statements: PolicyStatement[];
  readonly environment: Record<string, string>;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /** Instances that may run at once, reserved from the account's pool. @default none reserved */
  readonly reservedConcurrency?: number;
  /** Where asynchronous invocations go once Lambda's retries are spent. @default none */
  readonly deadLetterQueue?: IQueue;
}

/**
 * The one way this project makes a Lambda function, whatever invokes it:
 * Node 24 on ARM64, an ESM bundle made by the local esbuild (no Docker), its
 * own log group (JSON, where the Powertools logger and the embedded metrics
 * land), active X-Ray tracing of each invocation, and its own role allowed
 * exactly the given statements.
 */
export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.description}`,
      inlinePolicies: {
        access: new PolicyDocument({
          statements: [
            ...props.statements,
            // Active tracing's two writes, in this policy rather than CDK's separate one: a resource per function
            // fewer, under CloudFormation's 500 a stack. X-Ray allows no resource-level permission for them.
            new PolicyStatement({
              sid: 'Tracing',
              effect: Effect.ALLOW,
              actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
              resources: ['*'],
            }),
            new PolicyStatement({
              sid: 'Logs',
              effect: Effect.ALLOW,
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              // The log group's Arn attribute ends in ":*", which covers its log streams and nothing else.
              resources: [this.logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(repoRoot, props.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrency }
        : {}),
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      // The SDK v2 keep-alive switch: irrelevant for the bundled SDK v3, keep the environment clean.
      awsSdkConnectionReuse: false,
      environment: props.environment,
      bundling: {
        format: OutputFormat.ESM,
        mainFields: [...esbuildOptions.mainFields],
        minify: esbuildOptions.minify,
        sourceMap: esbuildOptions.sourcemap,
        sourcesContent: esbuildOptions.sourcesContent,
        target: esbuildOptions.target,
        // Bundle the SDK: a pinned, tree-shaken client instead of whatever version the runtime ships.
        bundleAwsSDK: true,
        logLevel: LogLevel.WARNING,
        banner: esbuildOptions.banner,
      },
    });
    // Active tracing set on the function itself: CDK's `tracing` would grant the X-Ray writes again, in a policy of its own.
    (this.function.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires "*" for them (the Tracing statement); every other statement of this role names its resources.',
    });
  }
}

/** Exactly these DynamoDB actions, on the table and on the listed indexes alone. */
export function tableStatement(table: ITable, actions: readonly string[], indexes: readonly string[] = []) {
  return new PolicyStatement({
    sid: 'Table',
    effect: Effect.ALLOW,
    actions: actions.map((action) => `dynamodb:${action}`),
    resources: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index}`)],
  });
}
