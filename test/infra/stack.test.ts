import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmNames } from '../../infra/monitoring';
import { offeredSendRates } from '../../infra/send-rate';
import { SwitchboardStack } from '../../infra/stack';
import { metricsNamespace, operationDimension, requestMetricNames } from '../../shared/core/service';
import { tableDefinition } from '../../shared/db/table';
import { outboxStreamFilter } from '../../shared/email/outbox';
import { maxReceives } from '../../shared/email/queue';
import { type RouteDefinition, tableActionsFor, updatesOnlyActivity } from '../../shared/http/route';
import { routeList } from '../../shared/routes';
import { type WorkerDefinition, workers } from '../../shared/workers';

// The template tests skip bundling (test/infra/bundles.test.ts bundles every handler once, quietly).
const synthTimeout = 120_000;
const skipBundling = { 'aws:cdk:bundling-stacks': [] };

const deployedRoutes = routeList;
const routeKey = (route: RouteDefinition) => `${route.method} ${route.path}`;
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
/** Public routes carry the one acknowledged finding of their kind: no authorizer (APIG4). */
const publicRouteAcknowledgments = routeList
  .filter((route) => route.access === 'public')
  .map((route) => `Switchboard/Api/${route.method}${route.path.replaceAll('/', '--')} AwsSolutions-APIG4`);
/** Active tracing's statement in each function's role: X-Ray allows no resource-level permissions. */
const tracingAcknowledgments = [
  ...routeList.map((route) => `Switchboard/${pascal(route.operation)}`),
  'Switchboard/Email/Mailer',
  'Switchboard/Email/Events',
  'Switchboard/DomainChecks/Recheck',
  'Switchboard/Renewals/Renew',
].map((path) => `${path}/Role AwsSolutions-IAM5[Resource::*]`);
/** dynamodb:ListStreams allows no resource-level permission either. */
const pipeAcknowledgments = ['Switchboard/Email/PipeRole AwsSolutions-IAM5[Resource::*]'];
const stackAcknowledgments = [
  ...publicRouteAcknowledgments,
  ...tracingAcknowledgments,
  ...pipeAcknowledgments,
];

/** Active tracing's two writes, in every function's own policy. */
const tracingStatement = {
  Sid: 'Tracing',
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: '*',
};

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string | string[];
}
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}
interface Violation {
  ruleName: string;
  severity: string;
  violatingResources: { constructPath?: string }[];
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh app with cdk-nag registered the way infra/app.ts does it. */
function synthesize(stackProps: ConstructorParameters<typeof SwitchboardStack>[2], context = {}) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'switchboard-cdk-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { ...skipBundling, ...context } });
  const stack = new SwitchboardStack(app, 'Switchboard', stackProps);
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  // Runs the validation plugins: any unacknowledged nag finding, error or warning, already
  // makes this throw with the report (cdk-nag v3 marks its report failed for warnings too).
  const assembly = app.synth();
  const template = Template.fromStack(stack);
  const report = JSON.parse(
    readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as {
    pluginReports: { pluginName: string; violations: Violation[] }[];
  };
  return {
    app,
    stack,
    nag,
    template,
    report,
    resources: template.toJSON().Resources as Record<string, Resource>,
  };
}

type Synthesized = ReturnType<typeof synthesize>;

const asList = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` (anywhere inside `value`) points at. */
function referencedId(value: unknown): string {
  const found = JSON.stringify(value).match(/"(?:Ref|Fn::GetAtt)":\s*\[?"([A-Za-z0-9]+)"/);
  if (!found?.[1]) throw new Error(`No reference in ${JSON.stringify(value)}`);
  return found[1];
}

function byType(resources: Record<string, Resource>, type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** Route → integration → function → role, following the references in the template. */
/** A policy the secrets key attaches to a function's role (the key's policy names the role). */
const isSecretsKeyPolicy = (policy: Resource) =>
  (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some(
    (statement) => statement.Sid === 'SecretsKey',
  );

function wiringOf(resources: Record<string, Resource>, route: RouteDefinition) {
  const routes = byType(resources, 'AWS::ApiGatewayV2::Route').filter(
    ([, r]) => r.Properties.RouteKey === routeKey(route),
  );
  expect(routes, routeKey(route)).toHaveLength(1);
  const [, routeResource] = routes[0] as [string, Resource];
  const integration = resources[referencedId(routeResource.Properties.Target)] as Resource;
  expect(integration.Type).toBe('AWS::ApiGatewayV2::Integration');
  const functionId = referencedId(integration.Properties.IntegrationUri);
  const fn = resources[functionId] as Resource;
  expect(fn.Type).toBe('AWS::Lambda::Function');
  const role = resources[referencedId(fn.Properties.Role)] as Resource;
  expect(role.Type).toBe('AWS::IAM::Role');
  const statements = (
    (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
  ).flatMap((policy) => policy.PolicyDocument.Statement);
  return { route: routeResource, functionId, fn, role, statements };
}

/** A daily job: its schedule and its function, told apart by the worker's description. */
function dailyJobOf(resources: Record<string, Resource>, worker: WorkerDefinition) {
  const jobs = byType(resources, 'AWS::Events::Rule')
    .filter(([, rule]) => rule.Properties.ScheduleExpression)
    .map(([, rule]) => {
      const functionId = referencedId((rule.Properties.Targets as { Arn: unknown }[])[0]?.Arn);
      return { rule, functionId, fn: resources[functionId] as Resource };
    });
  expect(jobs).toHaveLength(2);
  const job = jobs.find(({ fn }) => fn.Properties.Description === worker.description);
  if (!job) throw new Error(`No daily job runs ${worker.name}`);
  const statements = (
    ((resources[referencedId(job.fn.Properties.Role)] as Resource).Properties.Policies ?? []) as {
      PolicyDocument: { Statement: Statement[] };
    }[]
  ).flatMap((policy) => policy.PolicyDocument.Statement);
  return { ...job, statements };
}
const domainChecksOf = (resources: Record<string, Resource>) => dailyJobOf(resources, workers.recheckDomains);
const renewalsOf = (resources: Record<string, Resource>) => dailyJobOf(resources, workers.renewSubscriptions);

/** The mail path's resources: the queues, the mailer and the events function. */
function mailOf(resources: Record<string, Resource>) {
  const queues = byType(resources, 'AWS::SQS::Queue');
  const [queueId, queue] = queues.find(([, q]) => q.Properties.RedrivePolicy) as [string, Resource];
  const deadLettersId = referencedId(
    (queue.Properties.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn,
  );
  const mapping = byType(resources, 'AWS::Lambda::EventSourceMapping');
  expect(mapping).toHaveLength(1);
  const [, eventSource] = mapping[0] as [string, Resource];
  const mailerId = referencedId(eventSource.Properties.FunctionName);
  const rules = byType(resources, 'AWS::Events::Rule').filter(
    ([, candidate]) => candidate.Properties.EventPattern,
  );
  expect(rules).toHaveLength(1);
  const [, rule] = rules[0] as [string, Resource];
  const eventsId = referencedId((rule.Properties.Targets as { Arn: unknown }[])[0]?.Arn);
  const statementsOf = (fn: Resource) =>
    (
      ((resources[referencedId(fn.Properties.Role)] as Resource).Properties.Policies ?? []) as {
        PolicyDocument: { Statement: Statement[] };
      }[]
    ).flatMap((policy) => policy.PolicyDocument.Statement);
  const mailer = resources[mailerId] as Resource;
  const events = resources[eventsId] as Resource;
  const eventDeadLettersId = referencedId(
    (rule.Properties.Targets as { DeadLetterConfig?: { Arn: unknown } }[])[0]?.DeadLetterConfig?.Arn,
  );
  return {
    queueId,
    queue,
    deadLettersId,
    eventDeadLettersId,
    eventSource,
    mailerId,
    mailer,
    mailerStatements: statementsOf(mailer),
    rule,
    eventsId,
    events,
    eventsStatements: statementsOf(events),
  };
}

/** Every acknowledgment recorded in the app: `<construct path> <rule id>` → reason. */
function acknowledgments(app: App): Map<string, string> {
  const found = new Map<string, string>();
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.set(`${construct.node.path} ${id.replace(/^annotation::/i, '')}`, reason);
      }
    }
  }
  return found;
}

/** The same rule pack, blind to acknowledgments: what would be reported without any. */
class UnacknowledgedChecks extends AwsSolutionsChecks {}
Object.defineProperty(UnacknowledgedChecks.prototype, 'isAcknowledged', { value: () => false });

function expectCleanNag({ app, stack, nag, report }: Synthesized) {
  // cdk-nag v3 reports through CDK's policy validation, not annotations. Should
  // a CDK setting ever stop synth from failing on the report, ask the pack directly...
  const violations = nag.validateScope(app).violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity,
    at: v.violatingResources.map((r) => r.constructPath),
  }));
  expect(violations).toEqual([]);
  // ...and check the report the synth wrote into the cloud assembly.
  expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  // Nothing else complained either (CDK's own warnings and errors).
  expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
}

function expectEveryAcknowledgmentUsed({ app }: Synthesized) {
  const raw = new UnacknowledgedChecks(app).validateScope(app).violations as Violation[];
  for (const key of acknowledgments(app).keys()) {
    const [at, id] = key.split(' ') as [string, string];
    const fired = raw.some(
      (v) =>
        (v.ruleName === id || id.startsWith(`${v.ruleName}[`)) &&
        v.violatingResources.some((r) => r.constructPath === at || r.constructPath?.startsWith(`${at}/`)),
    );
    expect(fired, `acknowledgment ${key} suppresses nothing`).toBe(true);
  }
}

describe('SwitchboardStack with a Cognito user pool', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({});
  }, synthTimeout);

  it('stays within CloudFormation’s 500 resources per stack, with room for a few more routes', () => {
    // About six resources a route: past this, a feature moves to a nested stack (docs/operations.md).
    expect(Object.keys(synth.resources).length).toBeLessThanOrEqual(470);
  });

  it('has exactly the routes of the route table', () => {
    const keys = byType(synth.resources, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(deployedRoutes.map(routeKey).sort());
  });

  it('authorizes every route with the JWT authorizer, except the public ones and the internal ones (IAM)', () => {
    const authorizers = byType(synth.resources, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId] = authorizers[0] as [string, Resource];
    for (const route of deployedRoutes) {
      const { route: resource } = wiringOf(synth.resources, route);
      if (route.access === 'public') {
        expect(resource.Properties.AuthorizationType, routeKey(route)).toBe('NONE');
        expect(resource.Properties.AuthorizerId).toBeUndefined();
      } else if (route.access === 'service') {
        // SigV4 only: a user's JWT never reaches these functions.
        expect(resource.Properties.AuthorizationType, routeKey(route)).toBe('AWS_IAM');
        expect(resource.Properties.AuthorizerId).toBeUndefined();
      } else {
        expect(resource.Properties.AuthorizationType, routeKey(route)).toBe('JWT');
        expect(referencedId(resource.Properties.AuthorizerId)).toBe(authorizerId);
      }
    }
    expect(deployedRoutes.some((route) => route.access === 'public')).toBe(true);
    expect(deployedRoutes.some((route) => route.access === 'service')).toBe(true);
  });

  it('names the internal routes’ callers in a parameter, handed to their functions only', () => {
    expect(synth.template.toJSON().Parameters.InternalCallerRoleArns).toMatchObject({
      Type: 'String',
      Default: '',
    });
    for (const route of deployedRoutes) {
      const { fn } = wiringOf(synth.resources, route);
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      if (route.access === 'service') {
        expect(variables.INTERNAL_CALLER_ROLES, route.operation).toEqual({ Ref: 'InternalCallerRoleArns' });
      } else {
        expect(variables.INTERNAL_CALLER_ROLES, route.operation).toBeUndefined();
      }
    }
  });

  it('has one Node 24 ARM64 function per operation, the four workers, and no other function', () => {
    const functionIds = deployedRoutes.map((route) => wiringOf(synth.resources, route).functionId);
    expect(new Set(functionIds).size).toBe(deployedRoutes.length);
    const workerIds = [
      mailOf(synth.resources).mailerId,
      mailOf(synth.resources).eventsId,
      domainChecksOf(synth.resources).functionId,
      renewalsOf(synth.resources).functionId,
    ];
    expect(
      byType(synth.resources, 'AWS::Lambda::Function')
        .map(([id]) => id)
        .sort(),
    ).toEqual([...functionIds, ...workerIds].sort());
    for (const route of deployedRoutes) {
      const { functionId } = wiringOf(synth.resources, route);
      expect(synth.resources[functionId]?.Properties, route.operation).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 1024,
        // No route waits on SES: email is queued in the request's own transaction.
        Timeout: 10,
        LoggingConfig: { LogFormat: 'JSON' },
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('gives every function its environment and its own log group with a retention', () => {
    for (const route of deployedRoutes) {
      const { fn } = wiringOf(synth.resources, route);
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const emailVariables = [
        ...(route.queuesEmail ? ['APP_URL', 'APP_DOWNLOAD_URL'] : []),
        ...(route.access === 'service' ? ['INTERNAL_CALLER_ROLES'] : []),
        ...(route.secretKey ? ['SECRETS_KEY_ID'] : []),
      ];
      expect(Object.keys(variables).sort(), route.operation).toEqual(
        [
          'SERVICE_SECRET',
          'NODE_OPTIONS',
          'POWERTOOLS_LOG_LEVEL',
          'POWERTOOLS_SERVICE_NAME',
          'TABLE_NAME',
          ...emailVariables,
        ].sort(),
      );
      expect(variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'switchboard',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        SERVICE_SECRET: { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
      });
      if (route.queuesEmail) {
        expect(variables).toMatchObject({
          APP_URL: { Ref: 'AppUrl' },
          APP_DOWNLOAD_URL: { Ref: 'AppDownloadUrl' },
        });
      }
      const logGroup = synth.resources[
        referencedId((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup)
      ] as Resource;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('grants each function exactly the DynamoDB actions of its route, on the table and its listed indexes', () => {
    const [tableId] = byType(synth.resources, 'AWS::DynamoDB::Table')[0] as [string, Resource];
    const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
    for (const route of deployedRoutes) {
      const { fn, role, statements } = wiringOf(synth.resources, route);
      expect(role.Properties.ManagedPolicyArns, route.operation).toBeUndefined();

      const tableStatements = statements.filter(
        (s) => s.Sid === 'Table' && asList(s.Action).some((a) => a.startsWith('dynamodb:')),
      );
      const expected = tableActionsFor(route).map((action) => `dynamodb:${action}`);
      const granted = tableStatements.flatMap((s) => asList(s.Action));
      expect(new Set(granted), route.operation).toEqual(new Set(expected));
      expect(granted).toHaveLength(expected.length);
      if (expected.length === 0) expect(tableStatements, route.operation).toEqual([]);
      const indexArns = (route.table.indexes ?? []).map((index) => ({
        'Fn::Join': ['', [tableArn, `/index/${index}`]],
      }));
      for (const statement of tableStatements) {
        expect(statement.Effect).toBe('Allow');
        expect(asList(statement.Resource), route.operation).toEqual([tableArn, ...indexArns]);
      }

      // The only other statements: the activity write where it applies, and writing its logs (no SES).
      const logGroupId = referencedId((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup);
      // Where the route updates nothing itself: the lastActiveAt write, limited to that attribute.
      const activity = {
        Sid: 'Activity',
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: tableArn,
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['PK', 'SK', 'lastActiveAt'] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
        },
      };
      expect(
        statements.filter((s) => !tableStatements.includes(s)),
        route.operation,
      ).toEqual([
        ...(updatesOnlyActivity(route) ? [activity] : []),
        tracingStatement,
        {
          Sid: 'Logs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
      ]);
    }
  });

  it('runs the domain check daily, with the grace as a parameter and only its table grants', () => {
    const { rule, fn, statements } = domainChecksOf(synth.resources);
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 day)');
    expect(fn.Properties).toMatchObject({ Timeout: 900, ReservedConcurrentExecutions: 1 });
    const environment = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(environment.DOMAIN_GRACE_HOURS).toEqual({ Ref: 'DomainGraceHours' });
    expect(synth.template.toJSON().Parameters.DomainGraceHours).toMatchObject({
      Type: 'Number',
      Default: 72,
    });
    const tableId = byType(synth.resources, 'AWS::DynamoDB::Table')[0]?.[0];
    const table = statements.filter((statement) => statement.Sid === 'Table');
    expect(table).toHaveLength(1);
    expect(asList(table[0]?.Action).sort()).toEqual(
      workers.recheckDomains.table.actions.map((action) => `dynamodb:${action}`).sort(),
    );
    expect(JSON.stringify(table[0]?.Resource)).toContain(tableId);
    expect(JSON.stringify(table[0]?.Resource)).toContain('/index/GSI1');
    expect(JSON.stringify(table[0]?.Resource)).toContain('/index/GSI2');
    // It queues the lapse emails in the table: it sends nothing and reads no queue.
    const actions = statements.flatMap((statement) => asList(statement.Action));
    expect(actions.filter((action) => !/^(dynamodb|logs|xray):/.test(String(action)))).toEqual([]);
  });

  it('runs the renewals daily, one run at a time, with only their table grants: the due list, no Scan', () => {
    const { rule, fn, statements } = renewalsOf(synth.resources);
    // Five minutes past UTC midnight, when the day's periods have ended.
    expect(rule.Properties.ScheduleExpression).toBe('cron(5 0 * * ? *)');
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({ RetryPolicy: { MaximumRetryAttempts: 2 } }),
    ]);
    expect(fn.Properties).toMatchObject({ Timeout: 300, ReservedConcurrentExecutions: 1 });
    const table = statements.filter((statement) => statement.Sid === 'Table');
    expect(table).toHaveLength(1);
    expect(asList(table[0]?.Action).sort()).toEqual(
      ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Query'].sort(),
    );
    expect(JSON.stringify(table[0]?.Resource)).toContain('/index/GSI1');
    expect(JSON.stringify(table[0]?.Resource)).not.toContain('/index/GSI2');
    const actions = statements.flatMap((statement) => asList(statement.Action));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => !/^(dynamodb|logs|xray):/.test(String(action)))).toEqual([]);
  });

  it('has no wildcard action or resource but tracing’s and no managed policy; the only separate policies are the queues’', () => {
    const tracing = tracingStatement;
    const functionRoles = new Set(
      byType(synth.resources, 'AWS::Lambda::Function').map(([, fn]) => referencedId(fn.Properties.Role)),
    );
    for (const [id, role] of byType(synth.resources, 'AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
      const statements = (
        (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
      ).flatMap((policy) => policy.PolicyDocument.Statement);
      // Every function's role carries active tracing's two writes, which allow no resource-level permission.
      if (functionRoles.has(id)) expect(statements, id).toContainEqual(tracing);
      for (const statement of statements) {
        if (statement.Sid === 'Tracing') {
          expect(statement, id).toEqual(tracing);
          continue;
        }
        for (const action of asList(statement.Action)) expect(action, id).not.toContain('*');
        // The one other exception: ListStreams, which allows no resource-level permission, for the pipe.
        if (statement.Sid === 'ListStreams') expect(statement.Action).toBe('dynamodb:ListStreams');
        else for (const resource of asList(statement.Resource)) expect(resource, id).not.toBe('*');
      }
    }
    // Two functions have one more policy, CDK's for what invokes them: the mailer's reads and deletes of the
    // mail queue (its event source), the events function's sends to its dead-letter queue.
    const { mailer, queueId, events, eventDeadLettersId } = mailOf(synth.resources);
    // The secrets key's policies are checked on their own (below): the key's policy names the roles.
    const policies = byType(synth.resources, 'AWS::IAM::Policy').filter(
      ([, policy]) => !isSecretsKeyPolicy(policy),
    );
    const isRoleOf = (policy: Resource, fn: Resource) =>
      asList(policy.Properties.Roles).some((role) => referencedId(role) === referencedId(fn.Properties.Role));
    expect(policies).toHaveLength(2);
    const mailerPolicy = policies.find(([, policy]) => isRoleOf(policy, mailer))?.[1];
    const eventsPolicy = policies.find(([, policy]) => isRoleOf(policy, events))?.[1];
    const statementsOf = (policy: Resource | undefined) =>
      (policy?.Properties.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement;
    expect(statementsOf(mailerPolicy)).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      },
    ]);
    expect(statementsOf(eventsPolicy)).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [eventDeadLettersId, 'Arn'] } },
    ]);
    expect(byType(synth.resources, 'AWS::IAM::ManagedPolicy')).toEqual([]);
  });

  it('lets only the PIN’s functions use the secrets key, each for one action and context; rotates it; names only their roles', () => {
    const keys = byType(synth.resources, 'AWS::KMS::Key');
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0] as [string, Resource];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    const conditions = {
      'ForAllValues:StringEquals': {
        'kms:EncryptionContextKeys': ['workspaceId', 'portingRequestId', 'purpose'],
      },
      Null: {
        'kms:EncryptionContext:workspaceId': 'false',
        'kms:EncryptionContext:portingRequestId': 'false',
        'kms:EncryptionContext:purpose': 'false',
      },
      StringEquals: { 'kms:EncryptionContext:purpose': 'porting PIN' },
    };
    const uses: Record<string, string> = {
      submitPortingRequest: 'kms:GenerateDataKey',
      updatePortingRequest: 'kms:GenerateDataKey',
      readPortingRequestForCarrier: 'kms:Decrypt',
    };
    expect(
      Object.fromEntries(
        deployedRoutes
          .filter((route) => route.secretKey)
          .map((route) => [route.operation, uses[route.operation]]),
      ),
    ).toEqual(uses);
    const keyPolicy = key.Properties.KeyPolicy as { Statement: Statement[] };
    const roleUses: Record<string, string> = {};
    for (const route of deployedRoutes) {
      const { fn, role, statements } = wiringOf(synth.resources, route);
      // No KMS in the role's own policy, whatever the route.
      expect(JSON.stringify(statements), route.operation).not.toContain('kms:');
      const attached = byType(synth.resources, 'AWS::IAM::Policy').filter(
        ([, policy]) =>
          isSecretsKeyPolicy(policy) &&
          asList(policy.Properties.Roles).some(
            (ref) => referencedId(ref) === referencedId(fn.Properties.Role),
          ),
      );
      const use = uses[route.operation];
      if (!use) {
        expect(attached, route.operation).toEqual([]);
        continue;
      }
      expect(attached, route.operation).toHaveLength(1);
      const [policyId, policy] = attached[0] as [string, Resource];
      expect((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toEqual([
        {
          Sid: 'SecretsKey',
          Effect: 'Allow',
          Action: use,
          Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
          Condition: conditions,
        },
      ]);
      // The function is created once its policy is, so its first call may already use the key.
      expect(asList(fn.DependsOn)).toContain(policyId);
      expect(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.SECRETS_KEY_ID,
      ).toEqual({
        'Fn::GetAtt': [keyId, 'Arn'],
      });
      roleUses[referencedId(fn.Properties.Role)] = use;
      expect(role.Type).toBe('AWS::IAM::Role');
    }
    const [administration, ...grants] = keyPolicy.Statement;
    // The account administers the key, and cannot use it.
    expect(JSON.stringify(administration?.Action)).not.toMatch(/Decrypt|Encrypt|GenerateDataKey|\*"/);
    expect(
      Object.fromEntries(
        grants.map((grant) => [referencedId((grant.Principal as { AWS: unknown }).AWS), grant.Action]),
      ),
    ).toEqual(roleUses);
    for (const grant of grants) expect(grant.Condition).toEqual(conditions);
  });

  it('has the single table of the shared table definition, retained on delete', () => {
    const tables = byType(synth.resources, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const [, table] = tables[0] as [string, Resource];
    const indexes = tableDefinition.globalSecondaryIndexes;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
    });
    const keyAttributes = [
      tableDefinition.partitionKey,
      tableDefinition.sortKey,
      ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ];
    expect(table.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining(keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
  });

  it('logs access as JSON without any header, and throttles the default stage', () => {
    const stages = byType(synth.resources, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const [, stage] = stages[0] as [string, Resource];
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const settings = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const logGroup = synth.resources[referencedId(settings.DestinationArn)] as Resource;
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      method: '$context.httpMethod',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
    expect(settings.Format).not.toMatch(/header|authorization/i);
    // The path can carry an invitation token (GET /v1/invitations/{token}): only the route key is logged.
    expect(settings.Format).not.toContain('$context.path');
  });

  it('allows no browser origin unless configured', () => {
    const [, api] = byType(synth.resources, 'AWS::ApiGatewayV2::Api')[0] as [string, Resource];
    expect(api.Properties.CorsConfiguration).toBeUndefined();
  });

  it('asks at deploy time for the app URL and the SES sender, with no default unless configured', () => {
    const parameters = synth.template.toJSON().Parameters as Record<string, Record<string, unknown>>;
    expect(parameters.AppUrl).toMatchObject({ Type: 'String', AllowedPattern: expect.any(String) });
    expect(parameters.SenderEmail).toMatchObject({ Type: 'String', AllowedPattern: expect.any(String) });
    expect(parameters.AppUrl?.Default).toBeUndefined();
    expect(parameters.SenderEmail?.Default).toBeUndefined();
    const pattern = new RegExp(String(parameters.SenderEmail?.AllowedPattern));
    expect(pattern.test('invitations@acme.com')).toBe(true);
    expect(pattern.test('not an address')).toBe(false);
    const appUrl = new RegExp(String(parameters.AppUrl?.AllowedPattern));
    expect(appUrl.test('https://app.acme.com')).toBe(true);
    expect(appUrl.test('http://localhost:5173')).toBe(true);
    // Links carry tokens: never in clear text across a network.
    expect(appUrl.test('http://app.acme.com')).toBe(false);
  });

  it('creates the Cognito user pool and client that feed the JWT authorizer', () => {
    const { template } = synth;
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      Policies: {
        PasswordPolicy: Match.objectLike({
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
    const [poolId] = byType(synth.resources, 'AWS::Cognito::UserPool')[0] as [string, Resource];
    const [clientId, client] = byType(synth.resources, 'AWS::Cognito::UserPoolClient')[0] as [
      string,
      Resource,
    ];
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(client.Properties.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH']),
    );
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::GetAtt': [poolId, 'ProviderURL'] },
        Audience: [{ Ref: clientId }],
      },
    });
    for (const output of [
      'ApiUrl',
      'TableName',
      'AlarmTopicArn',
      'DashboardName',
      'UserPoolId',
      'UserPoolClientId',
      'Issuer',
    ]) {
      template.hasOutput(output, Match.anyValue());
    }
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged error or warning', () => {
    expectCleanNag(synth);
  });

  describe('monitoring', () => {
    const runbook = readFileSync(path.join(import.meta.dirname, '../../docs/operations.md'), 'utf8');
    const alarms = () =>
      byType(synth.resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const alarmNamed = (name: string) => alarms().find((alarm) => alarm.AlarmName === `switchboard-${name}`);

    it('publishes every alarm, and its return to OK, to the one SNS topic, which refuses plain HTTP', () => {
      const topics = byType(synth.resources, 'AWS::SNS::Topic');
      expect(topics).toHaveLength(1);
      const [id] = topics[0] as [string, Resource];
      expect(alarms().length).toBeGreaterThanOrEqual(7);
      for (const alarm of alarms()) {
        expect(alarm.AlarmActions, String(alarm.AlarmName)).toEqual([{ Ref: id }]);
        expect(alarm.OKActions, String(alarm.AlarmName)).toEqual([{ Ref: id }]);
        // Each names its runbook entry, and that entry exists.
        const anchor = /Runbook: docs\/operations\.md#(\w+)$/.exec(String(alarm.AlarmDescription))?.[1];
        expect(anchor, String(alarm.AlarmName)).toBeDefined();
        expect(runbook, String(alarm.AlarmName)).toContain(`## ${anchor}\n`);
        expect(alarm.TreatMissingData).toBe('notBreaching');
      }
      synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        }),
      });
    });

    it('alarms on the API 5xx rate, from the HTTP API’s own metrics', () => {
      const alarm = alarmNamed(alarmNames.api5xxRate);
      expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      const metrics = alarm?.Metrics as {
        Id: string;
        Expression?: string;
        MetricStat?: { Metric: { MetricName: string; Namespace: string } };
      }[];
      expect(metrics.find((metric) => metric.Expression)?.Expression).toBe(
        'IF(requests >= 20, 100 * errors / requests, 0)',
      );
      expect(
        metrics
          .filter((metric) => metric.MetricStat)
          .map((metric) => metric.MetricStat?.Metric.MetricName)
          .sort(),
      ).toEqual(['5xx', 'Count']);
    });

    it('alarms on Lambda errors and throttles of every function, ten functions per expression', () => {
      for (const name of [alarmNames.lambdaErrors, alarmNames.lambdaThrottles]) {
        const covered = alarms()
          .filter((alarm) => String(alarm.AlarmName).startsWith(`switchboard-${name}`))
          .flatMap(
            (alarm) =>
              alarm.Metrics as {
                MetricStat?: { Metric: { MetricName: string; Dimensions: { Value: unknown }[] } };
              }[],
          )
          .filter((metric) => metric.MetricStat)
          .map((metric) => {
            expect(metric.MetricStat?.Metric.MetricName).toBe(
              name === alarmNames.lambdaErrors ? 'Errors' : 'Throttles',
            );
            return referencedId(metric.MetricStat?.Metric.Dimensions[0]?.Value);
          });
        const functionIds = deployedRoutes.map((route) => wiringOf(synth.resources, route).functionId);
        const { mailerId, eventsId } = mailOf(synth.resources);
        const checks = domainChecksOf(synth.resources).functionId;
        const renewals = renewalsOf(synth.resources).functionId;
        expect(covered.sort(), name).toEqual([...functionIds, mailerId, eventsId, checks, renewals].sort());
      }
    });

    it('alarms on DynamoDB throttled requests and system errors, and on the SES reputation', () => {
      for (const name of [alarmNames.tableThrottles, alarmNames.tableSystemErrors]) {
        const alarm = alarmNamed(name);
        const stats = (
          (alarm?.Metrics ?? []) as { MetricStat?: { Metric: { Namespace: string; MetricName: string } } }[]
        )
          .filter((metric) => metric.MetricStat)
          .map((metric) => metric.MetricStat?.Metric);
        expect(stats.length, name).toBeGreaterThan(0);
        for (const metric of stats) expect(metric).toMatchObject({ Namespace: 'AWS/DynamoDB' });
      }
      expect(alarmNamed(alarmNames.sesBounceRate)).toMatchObject({
        Namespace: 'AWS/SES',
        MetricName: 'Reputation.BounceRate',
        Threshold: 0.04,
      });
      expect(alarmNamed(alarmNames.sesComplaintRate)).toMatchObject({
        Namespace: 'AWS/SES',
        MetricName: 'Reputation.ComplaintRate',
        Threshold: 0.001,
      });
    });

    it('emails the alarms only when the AlarmEmail parameter is set', () => {
      const json = synth.template.toJSON() as {
        Parameters: Record<string, { Default?: string; AllowedPattern?: string }>;
        Conditions: Record<string, unknown>;
      };
      expect(json.Parameters.AlarmEmail).toMatchObject({ Type: 'String', Default: '' });
      const pattern = new RegExp(String(json.Parameters.AlarmEmail?.AllowedPattern));
      expect(pattern.test('')).toBe(true);
      expect(pattern.test('oncall@acme.com')).toBe(true);
      expect(pattern.test('not an address')).toBe(false);
      const subscriptions = Object.values(
        synth.template.toJSON().Resources as Record<string, Resource & { Condition?: string }>,
      ).filter((resource) => resource.Type === 'AWS::SNS::Subscription');
      expect(subscriptions).toHaveLength(1);
      expect(subscriptions[0]?.Properties).toMatchObject({
        Protocol: 'email',
        Endpoint: { Ref: 'AlarmEmail' },
      });
      const condition = subscriptions[0]?.Condition as string;
      expect(json.Conditions[condition]).toEqual({
        'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }],
      });
    });

    it('has a dashboard with the requests, errors and duration of every operation', () => {
      const dashboards = byType(synth.resources, 'AWS::CloudWatch::Dashboard');
      expect(dashboards).toHaveLength(1);
      const body = JSON.stringify((dashboards[0] as [string, Resource])[1].Properties.DashboardBody);
      for (const metric of Object.values(requestMetricNames)) {
        for (const route of deployedRoutes) {
          expect(body, `${metric} of ${route.operation}`).toContain(
            `[\\"${metricsNamespace}\\",\\"${metric}\\",\\"${operationDimension}\\",\\"${route.operation}\\",\\"service\\",\\"switchboard\\"`,
          );
        }
      }
    });
  });

  describe('email', () => {
    const tableArn = () => {
      const [tableId] = byType(synth.resources, 'AWS::DynamoDB::Table')[0] as [string, Resource];
      return { 'Fn::GetAtt': [tableId, 'Arn'] };
    };
    const findInMap = (key: string) => ({
      'Fn::FindInMap': [expect.stringMatching(/^EmailMailerByRate/), { Ref: 'MaxSendRate' }, key],
    });

    it('streams the table’s new images, for the outbox', () => {
      const [, table] = byType(synth.resources, 'AWS::DynamoDB::Table')[0] as [string, Resource];
      expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    });

    it('pipes new outbox items, and nothing else, from the stream to the mail queue', () => {
      const pipes = byType(synth.resources, 'AWS::Pipes::Pipe');
      expect(pipes).toHaveLength(1);
      const [, pipe] = pipes[0] as [string, Resource];
      const { queueId } = mailOf(synth.resources);
      const [tableId] = byType(synth.resources, 'AWS::DynamoDB::Table')[0] as [string, Resource];
      const streamArn = { 'Fn::GetAtt': [tableId, 'StreamArn'] };
      expect(pipe.Properties).toMatchObject({
        Source: streamArn,
        Target: { 'Fn::GetAtt': [queueId, 'Arn'] },
        SourceParameters: {
          DynamoDBStreamParameters: { StartingPosition: 'TRIM_HORIZON', MaximumRetryAttempts: -1 },
          FilterCriteria: { Filters: [{ Pattern: JSON.stringify(outboxStreamFilter) }] },
        },
      });
      const role = synth.resources[referencedId(pipe.Properties.RoleArn)] as Resource;
      expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
        Statement: [expect.objectContaining({ Principal: { Service: 'pipes.amazonaws.com' } })],
      });
      const statements = (
        role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]
      ).flatMap((policy) => policy.PolicyDocument.Statement);
      expect(statements).toEqual([
        {
          Sid: 'ReadStream',
          Effect: 'Allow',
          Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: streamArn,
        },
        { Sid: 'ListStreams', Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
        {
          Sid: 'Queue',
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
        },
      ]);
    });

    it('encrypts the mail queue and its dead-letter queue, which takes a message after the last receive', () => {
      const { queue, deadLettersId } = mailOf(synth.resources);
      const [, deadLetters] = byType(synth.resources, 'AWS::SQS::Queue').find(
        ([id]) => id === deadLettersId,
      ) as [string, Resource];
      expect(queue.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [deadLettersId, 'Arn'] },
          maxReceiveCount: maxReceives,
        },
      });
      expect(deadLetters.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 86_400,
      });
      const { mailer } = mailOf(synth.resources);
      // AWS's advice for a queue a function consumes: a visibility timeout of six times the function's.
      expect(queue.Properties.VisibilityTimeout).toBe(6 * Number(mailer.Properties.Timeout));
      // Every queue refuses plain HTTP.
      const queuePolicies = byType(synth.resources, 'AWS::SQS::QueuePolicy');
      expect(queuePolicies).toHaveLength(3);
      for (const [, policy] of queuePolicies) {
        expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
      }
    });

    it('sizes the mailer from the MaxSendRate parameter: never faster than the rate, in every offered plan', () => {
      const parameters = synth.template.toJSON().Parameters as Record<string, Record<string, unknown>>;
      expect(parameters.MaxSendRate).toMatchObject({
        Type: 'Number',
        Default: 1,
        AllowedValues: offeredSendRates.map(String),
      });
      const mappings = synth.template.toJSON().Mappings as Record<
        string,
        Record<string, Record<string, unknown>>
      >;
      const [plans] = Object.values(mappings);
      for (const rate of offeredSendRates) {
        const plan = plans?.[String(rate)] as {
          concurrency: number;
          batchSize: number;
          sendIntervalMs: string;
        };
        expect(plan, String(rate)).toBeDefined();
        // Every instance at its pace, all at once: within the rate.
        expect((plan.concurrency * 1000) / Number(plan.sendIntervalMs), String(rate)).toBeLessThanOrEqual(
          rate,
        );
        expect(plan.concurrency).toBeGreaterThanOrEqual(2);
        expect(plan.batchSize).toBeGreaterThanOrEqual(1);
        expect(plan.batchSize).toBeLessThanOrEqual(10);
      }
      const { mailer, eventSource, queueId } = mailOf(synth.resources);
      expect(mailer.Properties.ReservedConcurrentExecutions).toEqual(findInMap('concurrency'));
      expect(eventSource.Properties).toEqual({
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: expect.anything(),
        BatchSize: findInMap('batchSize'),
        ScalingConfig: { MaximumConcurrency: findInMap('concurrency') },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(
        (mailer.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      ).toMatchObject({
        MAILER_SEND_INTERVAL_MS: findInMap('sendIntervalMs'),
        MAILER_CLAIM_EXPIRY_MS: String(2 * 1000 * Number(mailer.Properties.Timeout)),
        SENDER_EMAIL: { Ref: 'SenderEmail' },
        SES_CONFIGURATION_SET: { Ref: expect.stringMatching(/^EmailConfigurationSet/) },
      });
    });

    it('gives the mailer alone ses:SendEmail, from the sender, with the configuration set', () => {
      const { mailerStatements, mailerId } = mailOf(synth.resources);
      const arn = (resource: unknown) => ({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ses:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ...asList(resource),
          ],
        ],
      });
      expect(mailerStatements).toEqual([
        {
          Sid: 'Table',
          Effect: 'Allow',
          Action: workers.mailer.table.actions.map((action) => `dynamodb:${action}`),
          Resource: tableArn(),
        },
        {
          Sid: 'SendEmail',
          Effect: 'Allow',
          Action: 'ses:SendEmail',
          Condition: { StringEquals: { 'ses:FromAddress': { Ref: 'SenderEmail' } } },
          Resource: [
            arn([':identity/', { Ref: 'SenderEmail' }]),
            arn([':identity/', { 'Fn::Select': [1, { 'Fn::Split': ['@', { Ref: 'SenderEmail' }] }] }]),
            arn([':configuration-set/', { Ref: expect.stringMatching(/^EmailConfigurationSet/) }]),
          ],
        },
        tracingStatement,
        expect.objectContaining({ Sid: 'Logs' }),
      ]);
      // No other role in the stack may touch SES.
      for (const [id, role] of byType(synth.resources, 'AWS::IAM::Role')) {
        if (id === referencedId((synth.resources[mailerId] as Resource).Properties.Role)) continue;
        expect(JSON.stringify(role.Properties.Policies ?? []), id).not.toContain('ses:');
      }
      for (const [id, policy] of byType(synth.resources, 'AWS::IAM::Policy')) {
        expect(JSON.stringify(policy.Properties.PolicyDocument), id).not.toContain('ses:');
      }
    });

    it('publishes SES’s events through a configuration set to EventBridge, and on to the events function', () => {
      const destinations = byType(synth.resources, 'AWS::SES::ConfigurationSetEventDestination');
      expect(destinations).toHaveLength(1);
      const [, destination] = destinations[0] as [string, Resource];
      expect(destination.Properties).toMatchObject({
        ConfigurationSetName: { Ref: expect.stringMatching(/^EmailConfigurationSet/) },
        EventDestination: {
          Enabled: true,
          EventBridgeDestination: { EventBusArn: expect.anything() },
          MatchingEventTypes: expect.arrayContaining(['send', 'delivery', 'bounce', 'complaint', 'reject']),
        },
      });
      expect(JSON.stringify(destination.Properties)).toContain(':event-bus/default');
      // The workspaces' suppressed addresses decide: SES's account-level list is off for this configuration set.
      synth.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        SuppressionOptions: { SuppressedReasons: [] },
      });
      const { rule, eventsStatements, eventsId } = mailOf(synth.resources);
      expect(rule.Properties.EventPattern).toEqual({
        source: ['aws.ses'],
        detail: {
          mail: {
            tags: { 'ses:configuration-set': [{ Ref: expect.stringMatching(/^EmailConfigurationSet/) }] },
          },
        },
      });
      synth.template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [eventsId, 'Arn'] },
      });
      // An event not applied after every retry, by EventBridge or by Lambda, is kept and alarmed on.
      const { eventDeadLettersId, events } = mailOf(synth.resources);
      expect(events.Properties.DeadLetterConfig).toEqual({
        TargetArn: { 'Fn::GetAtt': [eventDeadLettersId, 'Arn'] },
      });
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          RetryPolicy: { MaximumRetryAttempts: 8 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [eventDeadLettersId, 'Arn'] } },
        }),
      ]);
      expect(eventsStatements).toEqual([
        {
          Sid: 'Table',
          Effect: 'Allow',
          Action: workers.emailEvents.table.actions.map((action) => `dynamodb:${action}`),
          Resource: tableArn(),
        },
        tracingStatement,
        expect.objectContaining({ Sid: 'Logs' }),
      ]);
    });

    it('alarms on both dead-letter queues and on the pipe’s failures', () => {
      const alarms = byType(synth.resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
      const { deadLettersId } = mailOf(synth.resources);
      expect(
        alarms.find((alarm) => alarm.AlarmName === `switchboard-${alarmNames.mailDeadLetters}`),
      ).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLettersId, 'QueueName'] } }],
        Threshold: 1,
      });
      expect(
        alarms.find((alarm) => alarm.AlarmName === `switchboard-${alarmNames.mailPipeFailures}`),
      ).toMatchObject({
        Namespace: 'AWS/EventBridge/Pipes',
        MetricName: 'ExecutionFailed',
        Threshold: 1,
      });
    });

    it('asks for the apps’ download page at deploy time, over https', () => {
      const parameters = synth.template.toJSON().Parameters as Record<string, Record<string, unknown>>;
      expect(parameters.AppDownloadUrl).toMatchObject({ Type: 'String' });
      const pattern = new RegExp(String(parameters.AppDownloadUrl?.AllowedPattern));
      expect(pattern.test('https://acme.com/download')).toBe(true);
      expect(pattern.test('http://acme.com/download')).toBe(false);
    });
  });

  it('acknowledges only the expected nag findings, each with a written reason and each needed', () => {
    const found = acknowledgments(synth.app);
    expect([...found.keys()].sort()).toEqual(
      [
        ...stackAcknowledgments,
        'Switchboard/UserPool AwsSolutions-COG2',
        'Switchboard/UserPool AwsSolutions-COG8',
      ].sort(),
    );
    for (const [key, reason] of found) {
      expect(reason.length, key).toBeGreaterThanOrEqual(60);
    }
    expectEveryAcknowledgmentUsed(synth);
  });
});

describe('SwitchboardStack with an external OIDC issuer, configured from context', () => {
  const issuer = 'https://issuer.example.com/realms/switchboard';
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(
      {},
      {
        oidcIssuer: issuer,
        oidcAudience: 'switchboard-web, switchboard-mobile',
        corsOrigins: 'https://app.example.com, http://localhost:5173',
        appUrl: 'https://app.example.com',
        senderEmail: 'invitations@example.com',
        throttleRateLimit: '5',
        throttleBurstLimit: '10',
      },
    );
  }, synthTimeout);

  it('creates no Cognito user pool and trusts the given issuer and audiences', () => {
    const { template } = synth;
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: issuer, Audience: ['switchboard-web', 'switchboard-mobile'] },
    });
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual([
      'AlarmTopicArn',
      'ApiUrl',
      'DashboardName',
      'TableName',
    ]);
  });

  it('lets the configured web origins call the API from a browser', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://app.example.com', 'http://localhost:5173'],
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-client-platform'],
        AllowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        MaxAge: 3600,
      },
    });
  });

  it('takes the parameter defaults and the throttling from context', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
    const parameters = synth.template.toJSON().Parameters as Record<string, { Default?: string }>;
    expect(parameters.AppUrl?.Default).toBe('https://app.example.com');
    expect(parameters.SenderEmail?.Default).toBe('invitations@example.com');
  });

  it('keeps the same routes and passes cdk-nag', () => {
    const keys = byType(synth.resources, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(deployedRoutes.map(routeKey).sort());
    expectCleanNag(synth);
    expect([...acknowledgments(synth.app).keys()].sort()).toEqual([...stackAcknowledgments].sort());
    expectEveryAcknowledgmentUsed(synth);
  });
});
