import {
  Aws,
  CfnOutput,
  CfnParameter,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  UserPool,
  type UserPoolClient,
  VerificationEmailStyle,
} from 'aws-cdk-lib/aws-cognito';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { tableDefinition } from '../shared/db/table';
import { corsAllowedHeaders, corsAllowedMethods, corsMaxAgeSeconds } from '../shared/http/cors';
import { isInternal, type RouteDefinition } from '../shared/http/route';
import { routeList } from '../shared/routes';
import { workers } from '../shared/workers';
import { ApiFunction } from './api-function';
import { type ResolvedSettings, resolveSettings, type SwitchboardSettings } from './config';
import { DomainChecks } from './domain-checks';
import { Email } from './email';
import { Monitoring } from './monitoring';
import { Renewals } from './renewals';
import { baseEnvironment } from './runtime';
import { SecretsKey } from './secrets-key';

export interface SwitchboardStackProps extends StackProps, SwitchboardSettings {
  /** The routes to deploy. @default the route table */
  readonly routes?: RouteDefinition[];
}

/** `createWorkspace` → `CreateWorkspace`: stable construct ids, hence stable logical ids. */
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export class SwitchboardStack extends Stack {
  readonly settings: ResolvedSettings;
  readonly table: Table;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<string, ApiFunction> = {};
  readonly email: Email;
  readonly domainChecks: DomainChecks;
  readonly renewals: Renewals;
  readonly monitoring: Monitoring;
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;
  readonly secretsKey?: SecretsKey;

  constructor(scope: Construct, id: string, props: SwitchboardStackProps = {}) {
    super(scope, id, props);
    this.settings = resolveSettings(this, props);

    this.table = this.createTable();

    let issuer: string;
    let audience: string[];
    if (this.settings.oidc) {
      ({ issuer, audience } = this.settings.oidc);
    } else {
      const { userPool, client } = this.createUserPool();
      this.userPool = userPool;
      this.userPoolClient = client;
      issuer = userPool.userPoolProviderUrl;
      audience = [client.userPoolClientId];
    }
    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', issuer, { jwtAudience: audience });

    // The default stage is made by hand: HttpApi's own default stage takes no
    // access-log or throttling settings.
    this.api = new HttpApi(this, 'Api', {
      apiName: 'switchboard',
      description: 'Switchboard: workspaces, members, roles and audit',
      createDefaultStage: false,
      // Browsers on the web app's origins may call the API; bearer tokens, no cookies.
      ...(this.settings.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: this.settings.corsOrigins,
              allowMethods: corsAllowedMethods.map((method) => CorsHttpMethod[method]),
              allowHeaders: corsAllowedHeaders,
              maxAge: Duration.seconds(corsMaxAgeSeconds),
            },
          }
        : {}),
    });
    this.stage = this.createStage();

    const environment = baseEnvironment({
      tableName: this.table.tableName,
      // The secret the functions derive their keys from (list cursors, outbox
      // messages; AES-GCM, HKDF). The stack's UUID (the last part of its stack
      // ID) is random, never sent to clients, stable for the stack's life (so
      // cursors survive deployments) and costs nothing at rest, unlike a
      // Secrets Manager secret. Anyone who can describe the stack or read the
      // function configuration can see it: it keeps the key layout and the
      // queued emails from API clients and from readers of the table alone,
      // not from people with access to the AWS account's configuration.
      serviceSecret: Fn.select(2, Fn.split('/', Aws.STACK_ID)),
    });
    if (this.settings.dnsServers.length > 0) environment.DNS_SERVERS = this.settings.dnsServers.join(',');
    const email = this.emailParameters();
    this.email = new Email(this, 'Email', {
      table: this.table,
      environment,
      senderEmail: email.senderEmail,
      defaultSendRate: this.settings.maxSendRate,
    });

    this.domainChecks = new DomainChecks(this, 'DomainChecks', {
      table: this.table,
      environment,
      appUrl: email.appUrl,
    });

    this.renewals = new Renewals(this, 'Renewals', { table: this.table, environment });

    // The telephony side's roles: only they may call the internal routes (SigV4, checked again by the function).
    const internalCallers = new CfnParameter(this, 'InternalCallerRoleArns', {
      type: 'String',
      default: '',
      allowedPattern:
        '^(arn:aws[\\w-]*:iam::\\d{12}:role/[\\w+=,.@/-]+)?(,arn:aws[\\w-]*:iam::\\d{12}:role/[\\w+=,.@/-]+)*$',
      description:
        'IAM role ARNs of the telephony and carrier side, comma-separated: the only principals the internal routes (/internal/…) answer. Empty: nobody.',
    });
    internalCallers.overrideLogicalId('InternalCallerRoleArns');
    const iamAuthorizer = new HttpIamAuthorizer();

    const deployed = props.routes ?? routeList;
    // A key costs 1 USD a month: made only when some route uses it.
    if (deployed.some((route) => route.secretKey)) this.secretsKey = new SecretsKey(this, 'SecretsKey');

    for (const route of deployed) {
      const internal = isInternal(route);
      const fn = new ApiFunction(this, pascal(route.operation), {
        route,
        table: this.table,
        environment: internal
          ? { ...environment, INTERNAL_CALLER_ROLES: internalCallers.valueAsString }
          : environment,
        links: email,
        ...(this.secretsKey ? { secretsKey: this.secretsKey } : {}),
      });
      this.functions[route.operation] = fn;
      const isPublic = route.access === 'public';
      // Internal routes take SigV4-signed requests only; a user's JWT never reaches their functions.
      const authorizer: IHttpRouteAuthorizer = isPublic
        ? new HttpNoneAuthorizer()
        : internal
          ? iamAuthorizer
          : jwtAuthorizer;
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${pascal(route.operation)}Integration`, fn.function),
        authorizer,
      });
      if (isPublic && httpRoute) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (access 'public' in the route table) and carries no user data: ${route.summary}`,
        });
      }
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      api: this.api,
      table: this.table,
      functions: {
        ...Object.fromEntries(Object.entries(this.functions).map(([name, fn]) => [name, fn.function])),
        [workers.mailer.name]: this.email.mailer.function,
        [workers.emailEvents.name]: this.email.events.function,
        [workers.recheckDomains.name]: this.domainChecks.function.function,
        [workers.renewSubscriptions.name]: this.renewals.function.function,
      },
      mail: {
        queue: this.email.queue,
        deadLetters: this.email.deadLetters,
        eventDeadLetters: this.email.eventDeadLetters,
        pipeName: this.email.pipe.ref,
      },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Subscribe to this topic to receive the alarms (or deploy with AlarmEmail)',
    });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    if (this.userPool && this.userPoolClient) {
      new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
      new CfnOutput(this, 'Issuer', { value: issuer, description: 'The JWT issuer the API trusts' });
    }
  }

  /** Deploy-time parameters of the emails; synth needs none. */
  private emailParameters(): { appUrl: string; appDownloadUrl: string; senderEmail: string } {
    const appUrl = new CfnParameter(this, 'AppUrl', {
      type: 'String',
      description: 'Base URL of the web app: invitation links point to {AppUrl}/join?token=...',
      // The links carry tokens: https, except for a web app on this very machine.
      allowedPattern: '^(https://[^\\s/]+|http://(localhost|127\\.0\\.0\\.1)(:[0-9]+)?)(/\\S*)?$',
      constraintDescription: 'must be an https URL such as https://app.example.com',
      ...(this.settings.appUrl ? { default: this.settings.appUrl } : {}),
    });
    const appDownloadUrl = new CfnParameter(this, 'AppDownloadUrl', {
      type: 'String',
      description: 'The page where invitees download the desktop and mobile apps (the emails link to it).',
      allowedPattern: '^https://[^\\s/]+(/\\S*)?$',
      constraintDescription: 'must be an https URL such as https://example.com/download',
      ...(this.settings.appDownloadUrl ? { default: this.settings.appDownloadUrl } : {}),
    });
    const senderEmail = new CfnParameter(this, 'SenderEmail', {
      type: 'String',
      description:
        'Address the emails are sent from: verified in SES, itself or through its domain. Only this address may be used.',
      allowedPattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
      constraintDescription: 'must be an email address',
      ...(this.settings.senderEmail ? { default: this.settings.senderEmail } : {}),
    });
    return {
      appUrl: appUrl.valueAsString,
      appDownloadUrl: appDownloadUrl.valueAsString,
      senderEmail: senderEmail.valueAsString,
    };
  }

  private createTable(): Table {
    const { partitionKey, sortKey, timeToLiveAttribute, globalSecondaryIndexes } = tableDefinition;
    const table = new Table(this, 'Table', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute,
      // The outbox's way to the mail queue (the Pipe reads new outbox items from it).
      stream: StreamViewType[tableDefinition.streamView],
      // AWS-owned key: encrypted at rest at no cost.
      encryption: TableEncryption.DEFAULT,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }

  private createUserPool(): { userPool: UserPool; client: UserPoolClient } {
    const userPool = new UserPool(this, 'UserPool', {
      userPoolName: 'switchboard',
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email stays unverified (and the old one in use) until the code is confirmed.
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      userVerification: { emailStyle: VerificationEmailStyle.CODE },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Users may turn on authenticator-app MFA; SMS would cost money and need an SNS role.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional (TOTP, free): requiring it for every user of a team-management app is a product decision not taken yet; SMS MFA would cost per message.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'The Plus feature plan (threat protection) is billed per monthly active user; the Essentials plan is kept until the product needs adaptive authentication.',
      },
    );

    const client = userPool.addClient('WebClient', {
      userPoolClientName: 'switchboard-web',
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      // No hosted UI: the app signs users in with the Cognito API (SRP or password).
      disableOAuth: true,
    });
    return { userPool, client };
  }

  private createStage(): HttpStage {
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    // JSON, one object per request; no headers (so no Authorization) and the
    // route key instead of the path, which can carry an invitation token.
    const format = AccessLogFormat.custom(
      JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        requestTime: '$context.requestTime',
        method: '$context.httpMethod',
        routeKey: '$context.routeKey',
        status: '$context.status',
        protocol: '$context.protocol',
        responseLength: '$context.responseLength',
        latency: '$context.responseLatency',
        integrationLatency: '$context.integrationLatency',
        integrationError: '$context.integrationErrorMessage',
        authorizerError: '$context.authorizer.error',
        userId: '$context.authorizer.claims.sub',
      }),
    );
    return new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: this.settings.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format },
    });
  }
}
