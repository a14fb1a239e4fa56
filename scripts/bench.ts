import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { memberKey } from '../shared/db/keys';
import { challengeName, challengeValue } from '../shared/features/domains/dns';
import { routeList } from '../shared/routes';
import { workerList } from '../shared/workers';
import {
  additionsOver,
  type BundleResult,
  bundleOne,
  coldImport,
  type ImportSample,
  lambdaEnvironment,
  node24Binary,
  repoRoot,
  stopColdImports,
} from './bench/bundle';
import { attachCounter, countByOperation, type DynamoCounter } from './bench/dynamo-counter';
import { type BenchApi, createBenchApi } from './bench/http';
import { runScenario, type ScenarioResult } from './bench/latency';
import { kib, markdownTable, ms, passFail, ratio } from './bench/markdown';
import { type BenchContext, pageSize } from './bench/scenario';
import { createScenarios } from './bench/scenarios';
import type { SeededMember } from './bench/seed';
import { median, round, type Summary, summarize } from './bench/stats';
import { localDynamoClient } from './local/dynamodb-local';
import { freePort } from './local/free-port';
import { type LocalStack, startLocalStack } from './local/stack';

/**
 * `npm run bench`: what each function costs.
 *
 * 1. Cold start, per function (the route table's and the workers): the bundle esbuild makes
 *    with the CDK's options (minified bytes), and the time a fresh Node 24
 *    process takes to import it (median of --cold-runs), each against a
 *    baseline function that only builds the DynamoDB client and does one
 *    GetItem. Target: ≤ 1.3× the baseline.
 * 2. Latency, per scenario: p50/p95 over real HTTP against the local server
 *    on DynamoDB Local (free ports), in a workspace of 1,000 members, next to
 *    a bare GetItem to the same DynamoDB Local; and the DynamoDB requests
 *    each call makes, counted by a middleware on the handlers' shared client.
 * 3. The mailer: emails per second locally, and its requests per email.
 * 4. The daily domain check over 1,000 claimed domains: its time, DynamoDB requests and DNS lookups.
 *
 * Prints Markdown tables (progress goes to stderr) and writes bench/results.json.
 * Missed targets are reported, not failed: the exit code is non-zero only when
 * the bench itself could not run.
 */

const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: '150' },
    warmup: { type: 'string', default: '20' },
    'cold-runs': { type: 'string', default: '11' },
    'skip-cold': { type: 'boolean', default: false },
    'skip-latency': { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`Usage: npm run bench [-- options]

  --samples N      measured requests per scenario (default 150)
  --warmup N       unmeasured requests before them (default 20)
  --cold-runs N    fresh processes per bundle for the cold import median (default 11, at least 5)
  --skip-cold      skip bundling and cold imports
  --skip-latency   skip the local stack and the latency scenarios
  --only REGEX     only the latency scenarios whose name matches (a feature's share their set-up:
                   e.g. --only 'PhoneNumber|NumberUse|IncomingCall|NumberAccess')

bench/results.json is written only by a full run.`);
  process.exit(0);
}

const positive = (name: string, value: string | undefined, min = 1) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return parsed;
};
const settings = {
  samples: positive('samples', args.samples),
  warmup: positive('warmup', args.warmup, 0),
  coldRuns: positive('cold-runs', args['cold-runs'], 5),
  members: 1000,
  pageSize,
};

// What this run started, for stopEverything (also on Ctrl-C or a failure).
let stack: LocalStack | undefined;
let api: BenchApi | undefined;
let stopping: Promise<void> | undefined;

const coldTarget = 1.3;
/** The mailer's claim (a transaction with the suppression and source checks) and its outcome (one more). */
const mailerRequestsPerEmail = 2;
const readTarget = 2;
/** The access decision, asked on every call and text: one request, as fast as a single read. */
const decisionTarget = 1.5;
const progress = (message: string) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------- cold start

interface ColdResult {
  name: string;
  entry: string;
  bundleBytes: number;
  sourceMapBytes: number;
  importMs: { median: number; runs: number[] };
  cpuMs: { median: number };
  processMs: { median: number };
  /** What the bundle has more of than the baseline's, largest first. */
  additionsOverBaseline: { input: string; bytes: number }[];
}

interface ColdPhase {
  nodeForImports: string;
  baseline: ColdResult;
  functions: (ColdResult & { bytesRatio: number; importRatio: number; cpuRatio: number; pass: boolean })[];
}

async function coldStartPhase(): Promise<ColdPhase> {
  const outRoot = path.join(repoRoot, 'bench', 'bundles');
  const inputs = [
    { name: 'baseline', entry: 'scripts/bench/baseline-handler.ts' },
    ...routeList.map((route) => ({ name: route.operation, entry: route.handler })),
    ...workerList.map((worker) => ({ name: worker.name, entry: worker.handler })),
  ];
  progress(`Bundling ${inputs.length} entries with the CDK's esbuild options into bench/bundles/…`);
  const bundles = await Promise.all(inputs.map((input) => bundleOne(input, outRoot)));

  const node = node24Binary();
  const samples = new Map<string, ImportSample[]>(bundles.map((bundle) => [bundle.name, []]));
  let nodeVersion = '';
  // One unmeasured round first (disk cache), then each round in a rotated order.
  for (let lap = -1; lap < settings.coldRuns; lap++) {
    progress(
      lap < 0 ? 'Cold imports: warm-up round…' : `Cold imports: round ${lap + 1}/${settings.coldRuns}…`,
    );
    for (let k = 0; k < bundles.length; k++) {
      if (stopping) throw new Error('interrupted');
      const bundle = bundles[(k + Math.max(lap, 0)) % bundles.length] as BundleResult;
      const sample = await coldImport(node, bundle);
      nodeVersion = sample.node;
      if (lap >= 0) samples.get(bundle.name)?.push(sample);
    }
  }
  if (!nodeVersion.startsWith('v24.')) throw new Error(`the cold imports ran on ${nodeVersion}, not Node 24`);

  const baselineBundle = bundles[0] as BundleResult;
  const results = bundles.map((bundle): ColdResult => {
    const runs = samples.get(bundle.name) ?? [];
    return {
      name: bundle.name,
      entry: bundle.entry,
      bundleBytes: bundle.bytes,
      sourceMapBytes: bundle.mapBytes,
      importMs: { median: median(runs.map((run) => run.importMs)), runs: runs.map((run) => run.importMs) },
      cpuMs: { median: median(runs.map((run) => run.cpuMs)) },
      processMs: { median: median(runs.map((run) => run.processMs)) },
      additionsOverBaseline: additionsOver(bundle, baselineBundle),
    };
  });
  const [baseline, ...functions] = results;
  if (!baseline) throw new Error('no baseline bundle');
  return {
    nodeForImports: nodeVersion,
    baseline,
    functions: functions.map((result) => {
      const importRatio = result.importMs.median / baseline.importMs.median;
      return {
        ...result,
        bytesRatio: result.bundleBytes / baseline.bundleBytes,
        importRatio,
        cpuRatio: result.cpuMs.median / baseline.cpuMs.median,
        pass: importRatio <= coldTarget,
      };
    }),
  };
}

// ------------------------------------------------------------------- latency

interface MailerRun {
  emails: number;
  seconds: number;
  emailsPerSecond: number;
  /** DynamoDB requests the mailer made, per email, in all and by operation. */
  requestsPerEmail: number;
  byOperation: Record<string, number>;
  /** Emails the local SES received: one per queued message, or the mailer sent some twice. */
  sesEmails: number;
}

interface LatencyPhase {
  bareGetItemMs: Summary;
  scenarios: ScenarioResult[];
  failures: { name: string; operation: string; error: string }[];
  dynamoRequestsCounted: number;
  notCovered: string[];
  mailer: MailerRun;
  domainCheck: DomainCheckRun;
  renewal: RenewalRun;
}

/** Verified domains the daily check runs over; a twentieth of them have lost their record (within the grace). */
const domainCheckDomains = 1000;

interface DomainCheckRun {
  domains: number;
  runs: {
    seconds: number;
    requests: number;
    byOperation: Record<string, number>;
    dnsQuestions: number;
    summary: Record<string, unknown>;
  }[];
  concurrency: number;
}

/**
 * The daily domain check over 1,000 verified domains (spread over 100
 * workspaces) against the local DNS, through the same worker Lambda runs,
 * twice: the second run shows that running again changes nothing twice.
 */
async function domainCheckPhase(
  context: BenchContext,
  counter: DynamoCounter,
  running: LocalStack,
): Promise<DomainCheckRun> {
  const runId = Date.now().toString(36);
  const perWorkspace = 10;
  for (let w = 0; w < domainCheckDomains / perWorkspace; w++) {
    const [person] = context.seed.newPeople(1, 'domain-owner');
    if (!person) throw new Error('no person');
    const workspaceId = await context.seed.seedWorkspace(`Domains ${w}`, [{ ...person, role: 'owner' }]);
    const domains = Array.from({ length: perWorkspace }, (_, n) => `check-${w}-${n}-${runId}.example`);
    const claims = await context.seed.seedDomains(workspaceId, domains, { status: 'verified' });
    claims.forEach((claim, n) => {
      const missing = (w * perWorkspace + n) % 20 === 0;
      running.dns.setTxt(challengeName(claim.domain), {
        values: missing ? [] : [challengeValue(claim.token)],
      });
    });
  }
  const runs: DomainCheckRun['runs'] = [];
  for (let run = 0; run < 2; run++) {
    const questionsBefore = running.dns.questions();
    counter.begin();
    const start = performance.now();
    const response = await context.api.call(undefined, 'POST', '/dev/jobs/recheck-domains', { body: {} });
    const seconds = (performance.now() - start) / 1000;
    const calls = counter.end();
    if (response.status !== 200) throw new Error(`domain check: HTTP ${response.status}`);
    runs.push({
      seconds,
      requests: calls.length,
      byOperation: countByOperation(calls),
      dnsQuestions: running.dns.questions() - questionsBefore,
      summary: (response.body as { data: Record<string, unknown> }).data,
    });
  }
  return { domains: domainCheckDomains, runs, concurrency: 16 };
}

/** Subscriptions the daily renewal runs over: their period has ended, their billing item is on the list. */
const renewalSubscriptions = 1000;

interface RenewalRun {
  subscriptions: number;
  runs: {
    seconds: number;
    requests: number;
    byOperation: Record<string, number>;
    summary: Record<string, unknown>;
  }[];
}

/**
 * The daily renewal over 1,000 subscriptions whose period ended, through the
 * same worker Lambda runs, twice: the second run finds none due (each renewed
 * subscription moved on the list to its next period's end).
 */
async function renewalPhase(context: BenchContext, counter: DynamoCounter): Promise<RenewalRun> {
  const [person] = context.seed.newPeople(1, 'renewal-owner');
  if (!person) throw new Error('no person');
  for (let start = 0; start < renewalSubscriptions; start += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, renewalSubscriptions - start) }, async (_, n) => {
        const id = await context.seed.seedWorkspace(`Renewal ${start + n}`, [{ ...person, role: 'owner' }]);
        await context.seed.seedBilling(id, { seats: 1, periodStart: '2025-06-01' });
      }),
    );
  }
  const runs: RenewalRun['runs'] = [];
  for (let run = 0; run < 2; run++) {
    counter.begin();
    const start = performance.now();
    const response = await context.api.call(undefined, 'POST', '/dev/jobs/renew-subscriptions', { body: {} });
    const seconds = (performance.now() - start) / 1000;
    const calls = counter.end();
    if (response.status !== 200) throw new Error(`renewal: HTTP ${response.status}`);
    runs.push({
      seconds,
      requests: calls.length,
      byOperation: countByOperation(calls),
      summary: (response.body as { data: Record<string, unknown> }).data,
    });
  }
  return { subscriptions: renewalSubscriptions, runs };
}

/** Emails the mailer run sends: two workspaces' worth of 100-address batches (each may send 200 an hour). */
const mailerRunEmails = 200;

/**
 * The mailer's throughput locally: 200 emails queued (the queue paused),
 * then sent by the local mailer, the very handler Lambda runs, with no send
 * interval (the local SES has no send rate); its DynamoDB requests counted on
 * the handlers' client while nothing else runs.
 */
async function mailerPhase(
  context: BenchContext,
  counter: DynamoCounter,
  running: LocalStack,
): Promise<MailerRun> {
  const { mail } = running;
  mail.queue.pause();
  await mail.settled();
  mail.queue.purge();
  const storeCount = async () =>
    ((await (await fetch(`${running.sesUrl}/store`)).json()) as { emails: unknown[] }).emails.length;
  const sesBefore = await storeCount();
  const perWorkspace = 100;
  for (let w = 0; w < mailerRunEmails / perWorkspace; w++) {
    const [person] = context.seed.newPeople(1, 'mailer-run');
    if (!person) throw new Error('no person');
    const workspaceId = await context.seed.seedWorkspace(`Mailer run ${w}`, [{ ...person, role: 'owner' }]);
    const owner = await context.seed.signIn(person);
    const emails = Array.from(
      { length: perWorkspace },
      (_, n) => `mailer-run-${Date.now()}-${w}-${n}@example.com`,
    );
    const response = await context.api.post(owner, `/v1/workspaces/${workspaceId}/invitations`, {
      emails,
      role: 'member',
      phoneAssignment: { mode: 'new' },
    });
    if (response.status !== 201) throw new Error(`mailer run: HTTP ${response.status}`);
  }
  await mail.settled();
  if (mail.queue.depth !== mailerRunEmails) {
    throw new Error(`mailer run: ${mail.queue.depth} messages queued, not ${mailerRunEmails}`);
  }
  counter.begin();
  const start = performance.now();
  mail.queue.resume();
  await mail.settled();
  const seconds = (performance.now() - start) / 1000;
  const calls = counter.end();
  const totals = countByOperation(calls);
  return {
    emails: mailerRunEmails,
    seconds,
    emailsPerSecond: mailerRunEmails / seconds,
    requestsPerEmail: calls.length / mailerRunEmails,
    byOperation: Object.fromEntries(
      Object.entries(totals).map(([operation, total]) => [operation, total / mailerRunEmails]),
    ),
    sesEmails: (await storeCount()) - sesBefore,
  };
}

async function latencyPhase(): Promise<LatencyPhase> {
  const tableName = 'switchboard-bench';
  const [apiPort, dynamoPort, sesPort] = [await freePort(), await freePort(), await freePort()];
  progress(
    `Starting DynamoDB Local (:${dynamoPort}), the local SES (:${sesPort}) and the API (:${apiPort})…`,
  );
  stack = await startLocalStack({
    host: '127.0.0.1',
    apiPort,
    dynamoPort,
    sesPort,
    tableName,
    logLevel: 'WARN',
  });

  // Imported only now: the handlers' modules read TABLE_NAME & co. at import,
  // and startLocalStack has just set them. This is the very module instance
  // the mounted handlers use, so the middleware sees their requests.
  const { dynamo } = await import('../shared/db/client');
  const counter = attachCounter(dynamo);
  const { handler: bareGetItem } = await import('./bench/baseline-handler');
  const { createSeeder } = await import('./bench/seed');

  const documents = DynamoDBDocumentClient.from(localDynamoClient(stack.dynamoEndpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const seed = createSeeder(documents, tableName, stack.issuer);
  progress(`Seeding a workspace of ${settings.members.toLocaleString('en')} members with BatchWriteItem…`);
  const members: SeededMember[] = seed
    .newPeople(settings.members, 'member')
    .map((person, index) => ({ ...person, role: index === 0 ? 'owner' : index <= 50 ? 'admin' : 'member' }));
  const workspaceId = await seed.seedWorkspace('Acme', members);
  // Billed as its creation and joins would have left it: its billed changes read one billing item.
  await seed.seedBilling(workspaceId, { seats: members.length });
  const [owner, admin, member] = await Promise.all(
    [members[0], members[1], members[500]].map((person) => {
      if (!person) throw new Error('not enough members');
      return seed.signIn(person);
    }),
  );
  if (!owner || !admin || !member) throw new Error('could not sign in');
  api = createBenchApi(stack.apiUrl);
  const context: BenchContext = {
    api,
    seed,
    workspaceId,
    members,
    owner,
    admin,
    member,
    iterations: settings.warmup + settings.samples,
    dns: stack.dns,
  };

  // Warm DynamoDB Local's JVM and the server before the first measurement.
  progress('Warming up DynamoDB Local and the server…');
  for (let i = 0; i < 200 && !stopping; i++) {
    const person = members[i % members.length] as SeededMember;
    await bareGetItem({ key: memberKey(workspaceId, person.userId) });
    await api.get(member, `/v1/workspaces/${workspaceId}/members/${person.userId}`);
  }

  // The mailer waits while requests are measured: in AWS it runs on its own functions, and here its
  // DynamoDB requests would be counted with the request's.
  stack.mail.queue.pause();
  const only = args.only === undefined ? undefined : new RegExp(args.only);
  const scenarios = createScenarios(context).filter((scenario) => !only || only.test(scenario.name));
  const results: ScenarioResult[] = [];
  const failures: LatencyPhase['failures'] = [];
  const bareSink: number[] = [];
  for (const scenario of scenarios) {
    if (stopping) throw new Error('interrupted');
    progress(`Scenario ${scenario.name}…`);
    try {
      results.push(
        await runScenario(scenario, {
          context,
          counter,
          bareGetItem: (key) => bareGetItem({ key }),
          warmup: settings.warmup,
          samples: settings.samples,
          bareSink,
        }),
      );
    } catch (error) {
      if (stopping) throw new Error('interrupted');
      progress(`  failed: ${(error as Error).message}`);
      failures.push({ name: scenario.name, operation: scenario.operation, error: (error as Error).message });
    }
  }
  progress(`Mailer: ${mailerRunEmails} emails…`);
  const mailer = await mailerPhase(context, counter, stack);
  progress(`Domain check: ${domainCheckDomains.toLocaleString('en')} claimed domains…`);
  const domainCheck = await domainCheckPhase(context, counter, stack);
  progress(`Renewal: ${renewalSubscriptions.toLocaleString('en')} subscriptions due…`);
  const renewal = await renewalPhase(context, counter);
  documents.destroy();

  const covered = new Set(scenarios.map((scenario) => scenario.operation as string));
  return {
    bareGetItemMs: summarize(bareSink),
    scenarios: results,
    failures,
    dynamoRequestsCounted: counter.total,
    notCovered: routeList.map((route) => route.operation).filter((operation) => !covered.has(operation)),
    mailer,
    domainCheck,
    renewal,
  };
}

// -------------------------------------------------------------------- report

interface Target {
  target: string;
  subject: string;
  value: string;
  limit: string;
  pass: boolean;
}

function targetsOf(cold: ColdPhase | undefined, latency: LatencyPhase | undefined): Target[] {
  const targets: Target[] = [];
  for (const result of latency?.scenarios ?? []) {
    if (!result.authorization) continue;
    const { readsMin, readsMax } = result.authorization;
    targets.push({
      target: 'authorization = exactly one DynamoDB read',
      subject: result.name,
      value: readsMin === readsMax ? `${readsMin}` : `${readsMin}–${readsMax}`,
      limit: '1',
      pass: readsMin === 1 && readsMax === 1,
    });
  }
  for (const result of latency?.scenarios ?? []) {
    if (!result.singleItemRead) continue;
    targets.push({
      target: `authorized single-item read p50 ≤ ${readTarget}× bare GetItem p50`,
      subject: result.name,
      value: `${ms(result.latencyMs.p50)} vs ${ms(result.bareGetItemMs.p50)} ms = ${ratio(result.p50OverBareP50)}`,
      limit: `${readTarget}×`,
      pass: result.p50OverBareP50 <= readTarget,
    });
  }
  for (const result of latency?.scenarios ?? []) {
    if (!result.oneRequestTarget) continue;
    const { min, max } = result.requests;
    targets.push({
      target: `one DynamoDB request, p50 ≤ ${readTarget}× bare GetItem p50`,
      subject: result.name,
      value: `${min === max ? min : `${min}–${max}`} request${max === 1 ? '' : 's'}, ${ms(result.latencyMs.p50)} vs ${ms(result.bareGetItemMs.p50)} ms = ${ratio(result.p50OverBareP50)}`,
      limit: `1, ${readTarget}×`,
      pass: min === 1 && max === 1 && result.p50OverBareP50 <= readTarget,
    });
  }
  for (const result of latency?.scenarios ?? []) {
    if (!result.decisionTarget) continue;
    const { min, max } = result.requests;
    targets.push({
      target: `decision: exactly one DynamoDB request, p50 ≤ ${decisionTarget}× bare GetItem p50`,
      subject: result.name,
      value: `${min === max ? min : `${min}–${max}`} request${max === 1 ? '' : 's'}, ${ms(result.latencyMs.p50)} vs ${ms(result.bareGetItemMs.p50)} ms = ${ratio(result.p50OverBareP50)}`,
      limit: `1, ${decisionTarget}×`,
      pass: min === 1 && max === 1 && result.p50OverBareP50 <= decisionTarget,
    });
  }
  for (const result of cold?.functions ?? []) {
    targets.push({
      target: `cold import ≤ ${coldTarget}× baseline`,
      subject: result.name,
      value: `${ms(result.importMs.median)} vs ${ms(cold?.baseline.importMs.median ?? Number.NaN)} ms = ${ratio(result.importRatio)}`,
      limit: `${coldTarget}×`,
      pass: result.pass,
    });
  }
  return targets;
}

interface Check {
  check: string;
  subject: string;
  value: string;
  pass: boolean;
}

/** The bench checking itself: the counter sees the handlers' client, and each call costs what it should. */
function checksOf(latency: LatencyPhase | undefined): Check[] {
  if (!latency) return [];
  const checks: Check[] = [
    {
      check: 'the counter sees the handlers’ DynamoDB client',
      subject: 'all scenarios',
      value: `${latency.dynamoRequestsCounted} requests counted`,
      pass: latency.dynamoRequestsCounted > 0,
    },
  ];
  for (const result of latency.scenarios) {
    if (result.requests.expected === null) continue;
    const { min, max, expected } = result.requests;
    checks.push({
      check: 'DynamoDB requests per call as expected',
      subject: result.name,
      value: `${min === max ? min : `${min}–${max}`} (expected ${expected})`,
      pass: result.requests.asExpected === true,
    });
  }
  for (const failure of latency.failures) {
    checks.push({ check: 'scenario ran', subject: failure.name, value: failure.error, pass: false });
  }
  const { mailer } = latency;
  checks.push(
    {
      check: 'one email in SES per queued message',
      subject: 'mailer',
      value: `${mailer.sesEmails} emails for ${mailer.emails} messages`,
      pass: mailer.sesEmails === mailer.emails,
    },
    {
      check: 'DynamoDB requests per email as expected',
      subject: 'mailer',
      value: `${round(mailer.requestsPerEmail, 2)} (expected ${mailerRequestsPerEmail}: the claim and the outcome, one transaction each)`,
      pass: mailer.requestsPerEmail === mailerRequestsPerEmail,
    },
  );
  return checks;
}

const operationsText = (byOperation: Record<string, number>) =>
  Object.entries(byOperation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, count]) => `${operation} ×${Number.isInteger(count) ? count : count.toFixed(2)}`)
    .join(' + ') || '—';

function render(
  machine: Record<string, unknown>,
  cold: ColdPhase | undefined,
  latency: LatencyPhase | undefined,
  targets: Target[],
  checks: Check[],
): string {
  const out: string[] = [];
  out.push(`## Switchboard bench, ${machine.date}`, '');
  out.push(
    `Node ${machine.node} · ${machine.cpuModel} × ${machine.cpus} CPUs · ${machine.platform} ${machine.release} ${machine.arch} · load average at start ${machine.loadAverage}`,
    '',
  );

  if (cold) {
    out.push(
      `### Cold start (${settings.coldRuns} fresh ${cold.nodeForImports} processes per bundle, median)`,
      '',
      'Bundles built with the esbuild options of infra/runtime.ts (ESM, minified, source maps without sources, node24, AWS SDK bundled); ' +
        'the import is timed inside the child, from just before `await import(bundle)` to just after, with the function’s ' +
        'Lambda environment (NODE_OPTIONS=--enable-source-maps, TABLE_NAME, …).',
      '',
    );
    const b = cold.baseline;
    const additions = (result: ColdResult) =>
      result.additionsOverBaseline.map((addition) => `${addition.input} ${kib(addition.bytes)}`).join(', ');
    const rows = [
      [
        'baseline (DynamoDB client + GetItem)',
        kib(b.bundleBytes),
        '1.00×',
        ms(b.importMs.median),
        '1.00×',
        ms(b.cpuMs.median),
        '1.00×',
        '—',
        '',
      ],
      ...cold.functions.map((result) => [
        result.name,
        kib(result.bundleBytes),
        ratio(result.bytesRatio),
        ms(result.importMs.median),
        ratio(result.importRatio),
        ms(result.cpuMs.median),
        ratio(result.cpuRatio),
        passFail(result.pass),
        additions(result),
      ]),
    ];
    out.push(
      markdownTable(
        [
          'Function',
          'Bundle KiB',
          'Size ×',
          'Import ms',
          'Import ×',
          'Import CPU ms',
          'CPU ×',
          `Import ≤ ${coldTarget}×`,
          'Largest additions over the baseline (KiB)',
        ],
        rows,
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
      ),
      '',
      '“×” columns are ratios to the baseline. Import CPU is the child’s CPU time (all threads) during the import, ' +
        'shown because wall time suffers more from a busy machine; the target is on wall time.',
      '',
    );
  }

  if (latency) {
    out.push(
      `### Latency over HTTP (local server + DynamoDB Local, ${settings.members.toLocaleString('en')}-member workspace, n = ${settings.samples} after ${settings.warmup} warm-up, one request at a time)`,
      '',
      `Bare GetItem: the baseline handler’s GetItem of a member item, in process, timed before every request of each scenario; ` +
        `pooled over the run: p50 ${ms(latency.bareGetItemMs.p50)} ms, p95 ${ms(latency.bareGetItemMs.p95)} ms (n = ${latency.bareGetItemMs.n}).`,
      '',
    );
    const rows = latency.scenarios.map((result) => [
      result.name,
      ms(result.latencyMs.p50),
      ms(result.latencyMs.p95),
      ms(result.bareGetItemMs.p50),
      ratio(result.p50OverBareP50),
      result.requests.min === result.requests.max
        ? `${result.requests.min}`
        : `${result.requests.min}–${result.requests.max}`,
      operationsText(result.requests.byOperation),
      result.authorization
        ? `${result.authorization.readsMax === result.authorization.readsMin ? result.authorization.readsMin : `${result.authorization.readsMin}–${result.authorization.readsMax}`} read` +
          (result.authorization.activityWritesMax > 0
            ? ` + ${result.authorization.activityWritesMax} write`
            : '')
        : 'none (JWT only)',
    ]);
    out.push(
      markdownTable(
        [
          'Scenario',
          'p50 ms',
          'p95 ms',
          'Bare GetItem p50',
          'p50 ÷ bare',
          'DynamoDB req/call',
          'Requests',
          'Authorization',
        ],
        rows,
        ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
      ),
      '',
    );
    out.push(
      'Authorization counts the reads of the caller’s own member item (GetItem, or BatchGetItem together with the ' +
        'workspace item for routes that load it); "+ 1 write" is the throttled lastActiveAt update, made at most once ' +
        'per member per 15 minutes (the seeded members were active just now, except in the scenario that shows it). ' +
        'Routes outside a workspace are authorized by the JWT alone.',
      '',
    );
    for (const result of latency.scenarios) {
      if (result.note) out.push(`- **${result.name}** (${result.route}): ${result.note}`);
    }
    out.push('');
    if (latency.notCovered.length > 0) {
      out.push(`Operations without a scenario yet: ${latency.notCovered.join(', ')}.`, '');
    }
    const { mailer } = latency;
    out.push(
      '### Mailer (local queue, local SES, no send interval)',
      '',
      `${mailer.emails} queued invitation emails sent in ${mailer.seconds.toFixed(2)} s: **${mailer.emailsPerSecond.toFixed(1)} emails/s** ` +
        `by one local mailer (batches of 10, one after another); ${round(mailer.requestsPerEmail, 2)} DynamoDB requests per email ` +
        `(${operationsText(mailer.byOperation)}), one SES call each. In AWS the rate is MaxSendRate's, spread over the ` +
        'mailer’s reserved concurrency.',
      '',
    );
    const { domainCheck } = latency;
    out.push(
      '### Daily domain check (local DNS)',
      '',
      markdownTable(
        ['Run', 'Time', 'DynamoDB requests', 'DNS questions', 'Outcome'],
        domainCheck.runs.map((run, index) => [
          index === 0 ? 'first' : 'again, same data',
          `${run.seconds.toFixed(2)} s`,
          `${run.requests} (${operationsText(run.byOperation)})`,
          String(run.dnsQuestions),
          Object.entries(run.summary)
            .filter(([, value]) => value !== 0 && value !== false)
            .map(([key, value]) => `${key} ${value}`)
            .join(', '),
        ]),
      ),
      '',
      `${domainCheck.domains.toLocaleString('en')} verified domains seeded (and the scenarios’ own claims), a twentieth without their record; ` +
        `at most ${domainCheck.concurrency} lookups in flight; pages of 100 claims read by one GSI1 Query each, one conditional UpdateItem per claim checked.`,
      '',
    );
    const { renewal } = latency;
    out.push(
      '### Daily renewal',
      '',
      markdownTable(
        ['Run', 'Time', 'DynamoDB requests', 'Outcome'],
        renewal.runs.map((run, index) => [
          index === 0 ? 'first' : 'again, same day',
          `${run.seconds.toFixed(2)} s`,
          `${run.requests} (${operationsText(run.byOperation)})`,
          Object.entries(run.summary)
            .filter(([, value]) => value !== 0 && value !== false)
            .map(([key, value]) => `${key} ${value}`)
            .join(', ') || 'nothing due',
        ]),
      ),
      '',
      `${renewal.subscriptions.toLocaleString('en')} subscriptions whose period ended; pages of 100 due renewals read by one GSI1 Query each, ` +
        'then per subscription one BatchGetItem (workspace, billing item) and one TransactWriteItems (its next period, the renewal line), 8 at once.',
      '',
    );
  }

  if (targets.length > 0) {
    out.push('### Targets', '');
    out.push(
      markdownTable(
        ['Result', 'Target', 'Subject', 'Measured', 'Limit'],
        targets.map((target) => [
          passFail(target.pass),
          target.target,
          target.subject,
          target.value,
          target.limit,
        ]),
      ),
      '',
    );
    const failed = targets.filter((target) => !target.pass).length;
    out.push(`${targets.length - failed} of ${targets.length} targets met.`, '');
  }
  if (checks.length > 0) {
    out.push('### Checks of the bench itself', '');
    out.push(
      markdownTable(
        ['Result', 'Check', 'Subject', 'Value'],
        checks.map((check) => [passFail(check.pass), check.check, check.subject, check.value]),
      ),
      '',
    );
  }
  return out.join('\n');
}

/** Figures for the JSON file, rounded to hundredths of a millisecond. */
function jsonSummary(summary: Summary) {
  return {
    n: summary.n,
    p50: round(summary.p50),
    p95: round(summary.p95),
    min: round(summary.min),
    max: round(summary.max),
    mean: round(summary.mean),
  };
}

function toJson(
  machine: Record<string, unknown>,
  cold: ColdPhase | undefined,
  latency: LatencyPhase | undefined,
  targets: Target[],
  checks: Check[],
  durationSeconds: number,
) {
  const coldJson = (result: ColdResult) => ({
    name: result.name,
    entry: result.entry,
    bundleBytes: result.bundleBytes,
    sourceMapBytes: result.sourceMapBytes,
    importMs: { median: round(result.importMs.median), runs: result.importMs.runs.map((run) => round(run)) },
    importCpuMs: { median: round(result.cpuMs.median) },
    processMs: { median: round(result.processMs.median) },
    additionsOverBaselineBytes: result.additionsOverBaseline,
  });
  return {
    date: machine.date,
    node: machine.node,
    machine: {
      cpuModel: machine.cpuModel,
      cpus: machine.cpus,
      platform: machine.platform,
      release: machine.release,
      arch: machine.arch,
      memoryGiB: machine.memoryGiB,
      loadAverageAtStart: machine.loadAverage,
    },
    settings: { ...settings, coldTarget, singleItemReadTarget: readTarget, decisionTarget },
    durationSeconds: round(durationSeconds, 1),
    coldStart: cold && {
      nodeForImports: cold.nodeForImports,
      environment: lambdaEnvironment('<operation>'),
      baseline: coldJson(cold.baseline),
      functions: cold.functions.map((result) => ({
        ...coldJson(result),
        bytesRatio: round(result.bytesRatio, 3),
        importRatio: round(result.importRatio, 3),
        importCpuRatio: round(result.cpuRatio, 3),
        pass: result.pass,
      })),
    },
    latency: latency && {
      bareGetItemMs: jsonSummary(latency.bareGetItemMs),
      scenarios: latency.scenarios.map((result) => ({
        ...result,
        latencyMs: jsonSummary(result.latencyMs),
        bareGetItemMs: jsonSummary(result.bareGetItemMs),
        p50OverBareP50: round(result.p50OverBareP50, 3),
        requests: {
          ...result.requests,
          byOperation: Object.fromEntries(
            Object.entries(result.requests.byOperation).map(([name, count]) => [name, round(count, 3)]),
          ),
          attemptsPerCall: round(result.requests.attemptsPerCall, 3),
        },
      })),
      failures: latency.failures,
      dynamoRequestsCounted: latency.dynamoRequestsCounted,
      notCovered: latency.notCovered,
      domainCheck: {
        ...latency.domainCheck,
        runs: latency.domainCheck.runs.map((run) => ({ ...run, seconds: round(run.seconds, 2) })),
      },
      renewal: {
        ...latency.renewal,
        runs: latency.renewal.runs.map((run) => ({ ...run, seconds: round(run.seconds, 2) })),
      },
      mailer: {
        ...latency.mailer,
        seconds: round(latency.mailer.seconds, 2),
        emailsPerSecond: round(latency.mailer.emailsPerSecond, 1),
        requestsPerEmail: round(latency.mailer.requestsPerEmail, 3),
      },
    },
    targets,
    checks,
  };
}

// ---------------------------------------------------------------------- main

/** Stops everything this run started; safe to call more than once. */
function stopEverything(): Promise<void> {
  stopping ??= (async () => {
    stopColdImports();
    api?.close();
    await stack?.stop();
  })();
  return stopping;
}

const onSignal = (signal: NodeJS.Signals) => {
  progress(`\n${signal}: stopping DynamoDB Local, the local SES and the API…`);
  void stopEverything().finally(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const started = performance.now();
const cpus = os.cpus();
const machine = {
  date: new Date().toISOString(),
  node: process.version,
  cpuModel: cpus[0]?.model.trim() ?? 'unknown',
  cpus: cpus.length,
  platform: os.platform(),
  release: os.release(),
  arch: os.arch(),
  memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
  loadAverage: os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' '),
};

try {
  const cold = args['skip-cold'] ? undefined : await coldStartPhase();
  const latency = args['skip-latency'] ? undefined : await latencyPhase();
  await stopEverything();
  const targets = targetsOf(cold, latency);
  const checks = checksOf(latency);
  const durationSeconds = (performance.now() - started) / 1000;
  console.log(render(machine, cold, latency, targets, checks));
  if (cold && latency && args.only === undefined) {
    mkdirSync(path.join(repoRoot, 'bench'), { recursive: true });
    const file = path.join(repoRoot, 'bench', 'results.json');
    writeFileSync(
      file,
      `${JSON.stringify(toJson(machine, cold, latency, targets, checks, durationSeconds), null, 2)}\n`,
    );
    progress(`Wrote bench/results.json (${durationSeconds.toFixed(0)} s in all).`);
  } else {
    progress('Partial run: bench/results.json left as it was.');
  }
  if (latency && (latency.failures.length > 0 || latency.dynamoRequestsCounted === 0)) process.exitCode = 1;
} catch (error) {
  if (!stopping) progress(`The bench could not run: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
} finally {
  await stopEverything();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}
