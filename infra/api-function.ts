import path from 'node:path';
import { Aws, Duration, Fn } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { tableDefinition } from '../shared/db/table-definition';
import {
  activityAttribute,
  type RouteDefinition,
  tableActionsFor,
  updatesOnlyActivity,
} from '../shared/http/route';

export const repoRoot = path.resolve(import.meta.dirname, '..');

/** Where a route's handler lives: `functions/<operation>.ts`. */
export const entryFor = (route: RouteDefinition) => path.join(repoRoot, 'functions', `${route.operation}.ts`);

export interface ApiFunctionProps {
  /** The route this function serves; its table actions become the function's only DynamoDB rights. */
  readonly route: RouteDefinition;
  readonly table: ITable;
  /** Extra environment (TABLE_NAME is always set). */
  readonly environment: Record<string, string>;
  /** For routes that send email: the app's URL for links and the one sender address allowed. */
  readonly email: { readonly appUrl: string; readonly senderEmail: string };
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

/**
 * The one way this project makes a Lambda function: Node 24 on ARM64, an ESM
 * bundle made by the local esbuild (no Docker), its own log group, and its own
 * role allowed exactly the DynamoDB actions of its route and nothing else.
 */
export class ApiFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    const { route, table } = props;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${route.operation} function (${route.method} ${route.path})`,
      inlinePolicies: { access: accessPolicy(route, table, this.logGroup, props.email.senderEmail) },
    });

    this.function = new NodejsFunction(this, 'Function', {
      entry: entryFor(route),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      description: `${route.method} ${route.path}`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      // A batch of invitations waits on SES for each address; API Gateway gives up at 30 s.
      timeout: Duration.seconds(route.sendsEmail ? 29 : 10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      // The SDK v2 keep-alive switch: irrelevant for the bundled SDK v3, keep the environment clean.
      awsSdkConnectionReuse: false,
      environment: {
        TABLE_NAME: table.tableName,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
        ...(route.sendsEmail ? { APP_URL: props.email.appUrl, SENDER_EMAIL: props.email.senderEmail } : {}),
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        target: 'node24',
        // Bundle the SDK: a pinned, tree-shaken client instead of whatever version the runtime ships.
        bundleAwsSDK: true,
        logLevel: LogLevel.WARNING,
        // CommonJS dependencies inside an ESM bundle still call require().
        banner: 'import { createRequire } from "module";const require = createRequire(import.meta.url);',
      },
    });
  }
}

/**
 * Exactly the route's DynamoDB actions on the table (and its listed indexes),
 * the activity write alone where the route itself updates nothing, sending email from the configured sender when the route sends email, and
 * writing its own logs.
 */
function accessPolicy(
  route: RouteDefinition,
  table: ITable,
  logGroup: LogGroup,
  senderEmail: string,
): PolicyDocument {
  const statements: PolicyStatement[] = [];
  const actions = tableActionsFor(route);
  if (actions.length > 0) {
    const indexArns = (route.table.indexes ?? []).map((index) => `${table.tableArn}/index/${index}`);
    statements.push(
      new PolicyStatement({
        sid: 'Table',
        effect: Effect.ALLOW,
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn, ...indexArns],
      }),
    );
  }
  if (updatesOnlyActivity(route)) {
    const { partitionKey, sortKey } = tableDefinition;
    statements.push(
      new PolicyStatement({
        sid: 'Activity',
        effect: Effect.ALLOW,
        actions: ['dynamodb:UpdateItem'],
        resources: [table.tableArn],
        // The throttled lastActiveAt write, and nothing else of the item.
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [partitionKey, sortKey, activityAttribute] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
        },
      }),
    );
  }
  if (route.sendsEmail) {
    const identity = (name: string) =>
      `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${name}`;
    statements.push(
      new PolicyStatement({
        sid: 'SendEmail',
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        // SES authorizes against the verified identity: the address itself, or its domain.
        resources: [identity(senderEmail), identity(Fn.select(1, Fn.split('@', senderEmail)))],
        conditions: { StringEquals: { 'ses:FromAddress': senderEmail } },
      }),
    );
  }
  statements.push(
    new PolicyStatement({
      sid: 'Logs',
      effect: Effect.ALLOW,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      // The log group's Arn attribute ends in ":*", which covers its log streams and nothing else.
      resources: [logGroup.logGroupArn],
    }),
  );
  return new PolicyDocument({ statements });
}
