import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { activityAttribute } from '../shared/access/tenancy';
import { tableDefinition } from '../shared/db/table';
import { type RouteDefinition, tableActionsFor, updatesOnlyActivity } from '../shared/http/route';
import type { SecretsKey } from './secrets-key';
import { ServiceFunction } from './service-function';

export interface ApiFunctionProps {
  /** The route this function serves; its table actions become the function's only DynamoDB rights. */
  readonly route: RouteDefinition;
  readonly table: ITable;
  /** The base environment of every function (infra/runtime.ts). */
  readonly environment: Record<string, string>;
  /** For routes that queue email: the base URLs of the links (the app, and where to download it). */
  readonly links: { readonly appUrl: string; readonly appDownloadUrl: string };
  /** The secrets key, for routes that encrypt or decrypt with it (`secretKey`). */
  readonly secretsKey?: SecretsKey;
}

/** The function of one route of the table: the base function with exactly the route's rights. */
export class ApiFunction extends ServiceFunction {
  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const { route, links } = props;
    super(scope, id, {
      entry: route.handler,
      description: `${route.method} ${route.path}`,
      statements: routeStatements(route, props.table),
      timeout: Duration.seconds(10),
      environment: {
        ...props.environment,
        ...(route.queuesEmail ? { APP_URL: links.appUrl, APP_DOWNLOAD_URL: links.appDownloadUrl } : {}),
        ...(route.secretKey && props.secretsKey ? { SECRETS_KEY_ID: props.secretsKey.key.keyArn } : {}),
      },
    });
    if (route.secretKey) {
      if (!props.secretsKey) throw new Error(`${route.operation} uses the secrets key, but none was given`);
      props.secretsKey.allow(route.operation, this, route.secretKey);
    }
  }
}

/**
 * Exactly the route's DynamoDB actions on the table (and its listed indexes),
 * and the activity write alone where the route itself updates nothing. No
 * route sends email: they queue it, and the mailer alone sends.
 */
function routeStatements(route: RouteDefinition, table: ITable): PolicyStatement[] {
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
  return statements;
}
