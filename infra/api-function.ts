import { Aws, Duration, Fn } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { activityAttribute } from '../shared/access/tenancy';
import { tableDefinition } from '../shared/db/table';
import { type RouteDefinition, tableActionsFor, updatesOnlyActivity } from '../shared/http/route';
import { ServiceFunction } from './service-function';

export interface ApiFunctionProps {
  /** The route this function serves; its table actions become the function's only DynamoDB rights. */
  readonly route: RouteDefinition;
  readonly table: ITable;
  /** The base environment of every function (infra/runtime.ts). */
  readonly environment: Record<string, string>;
  /** For routes that send email: the app's URL for links and the one sender address allowed. */
  readonly email: { readonly appUrl: string; readonly senderEmail: string };
}

/** The function of one route of the table: the base function with exactly the route's rights. */
export class ApiFunction extends ServiceFunction {
  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const { route, email } = props;
    super(scope, id, {
      entry: route.handler,
      description: `${route.method} ${route.path}`,
      statements: routeStatements(route, props.table, email.senderEmail),
      // A batch of invitations waits on SES for each address; API Gateway gives up at 30 s.
      timeout: Duration.seconds(route.sendsEmail ? 29 : 10),
      environment: {
        ...props.environment,
        ...(route.sendsEmail ? { APP_URL: email.appUrl, SENDER_EMAIL: email.senderEmail } : {}),
      },
    });
  }
}

/**
 * Exactly the route's DynamoDB actions on the table (and its listed indexes),
 * the activity write alone where the route itself updates nothing, and
 * sending email from the configured sender when the route sends email.
 */
function routeStatements(route: RouteDefinition, table: ITable, senderEmail: string): PolicyStatement[] {
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
  return statements;
}
