import { memberKey } from '../../shared/db/keys';
import { isWorkspaceScoped } from '../../shared/http/route';
import { routes } from '../../shared/routes';
import { countByOperation, type DynamoCall, type DynamoCounter, isRead, keysRead } from './dynamo-counter';
import type { BenchContext, Scenario } from './scenario';
import { median, type Summary, summarize } from './stats';

export interface ScenarioResult {
  name: string;
  operation: string;
  route: string;
  samples: number;
  latencyMs: Summary;
  /** A bare GetItem (the baseline handler, in process) timed just before each request of this scenario. */
  bareGetItemMs: Summary;
  p50OverBareP50: number;
  requests: {
    /** DynamoDB operations per call: min, median and max over the samples. */
    min: number;
    median: number;
    max: number;
    /** Average per call, by DynamoDB operation. */
    byOperation: Record<string, number>;
    /** HTTP attempts per call (more than the requests means the SDK retried). */
    attemptsPerCall: number;
    expected: number | null;
    asExpected: boolean | null;
  };
  /** For routes under a workspace: reads of the caller's own member item, and activity writes, per call. */
  authorization: null | {
    readsMin: number;
    readsMax: number;
    activityWritesMin: number;
    activityWritesMax: number;
  };
  singleItemRead: boolean;
  oneRequestTarget: boolean;
  decisionTarget: boolean;
  note: string | null;
}

export interface RunOptions {
  context: BenchContext;
  counter: DynamoCounter;
  bareGetItem: (key: Record<string, string>) => Promise<unknown>;
  warmup: number;
  samples: number;
  /** Receives every measured bare GetItem time, to pool them over the run. */
  bareSink?: number[];
}

interface Sample {
  ms: number;
  bareMs: number;
  calls: DynamoCall[];
  authReads: number;
  activityWrites: number;
}

const callerSortKey = (userId: string) => memberKey('', userId).SK;

function isActivityWrite(call: DynamoCall, sortKey: string): boolean {
  const key = call.input.Key as { SK?: unknown } | undefined;
  return (
    call.operation === 'UpdateItem' &&
    key?.SK === sortKey &&
    String(call.input.UpdateExpression ?? '').includes('lastActiveAt')
  );
}

/**
 * Runs one scenario: prepare, then warm-up and measured iterations, one
 * request at a time. Before each request, a bare GetItem of a member item
 * is timed too, so the two are compared under the same conditions.
 */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioResult> {
  const { context, counter } = options;
  const { warmup, samples: sampleCount } = scenario.iterations ?? options;
  const route = routes[scenario.operation];
  await scenario.prepare?.();
  const samples: Sample[] = [];
  for (let i = 0; i < warmup + sampleCount; i++) {
    const bareTarget = context.members[i % context.members.length];
    if (!bareTarget) throw new Error('no seeded members');
    const bareStart = performance.now();
    const item = await options.bareGetItem(memberKey(context.workspaceId, bareTarget.userId));
    const bareMs = performance.now() - bareStart;
    if (!item) throw new Error('the bare GetItem found no member item');

    counter.begin();
    let calls: DynamoCall[];
    const start = performance.now();
    let response: Awaited<ReturnType<Scenario['run']>>;
    try {
      response = await scenario.run(i);
    } finally {
      calls = counter.end();
    }
    const ms = performance.now() - start;
    if (response.status !== route.response.status) {
      throw new Error(
        `${scenario.name}, iteration ${i}: HTTP ${response.status} instead of ${route.response.status}: ${JSON.stringify(response.body)}`,
      );
    }
    if (i < warmup) continue;
    options.bareSink?.push(bareMs);
    const caller = context.api.lastCaller;
    const sortKey = caller ? callerSortKey(caller.userId) : undefined;
    samples.push({
      ms,
      bareMs,
      calls,
      authReads: sortKey
        ? calls.filter((call) => isRead(call) && keysRead(call).includes(sortKey)).length
        : 0,
      activityWrites: sortKey ? calls.filter((call) => isActivityWrite(call, sortKey)).length : 0,
    });
  }

  const counts = samples.map((sample) => sample.calls.length);
  const allCalls = samples.flatMap((sample) => sample.calls);
  const totals = countByOperation(allCalls);
  const attempts = allCalls.reduce((sum, call) => sum + call.attempts, 0);
  const byOperation = Object.fromEntries(
    Object.entries(totals).map(([operation, total]) => [operation, total / samples.length]),
  );
  const latencyMs = summarize(samples.map((sample) => sample.ms));
  const bareGetItemMs = summarize(samples.map((sample) => sample.bareMs));
  const expected = scenario.expectedRequests ?? null;
  const scoped = isWorkspaceScoped(route);
  return {
    name: scenario.name,
    operation: scenario.operation,
    route: `${route.method} ${route.path}`,
    samples: samples.length,
    latencyMs,
    bareGetItemMs,
    p50OverBareP50: latencyMs.p50 / bareGetItemMs.p50,
    requests: {
      min: Math.min(...counts),
      median: median(counts),
      max: Math.max(...counts),
      byOperation,
      attemptsPerCall: attempts / samples.length,
      expected,
      asExpected: expected === null ? null : counts.every((count) => count === expected),
    },
    authorization: scoped
      ? {
          readsMin: Math.min(...samples.map((sample) => sample.authReads)),
          readsMax: Math.max(...samples.map((sample) => sample.authReads)),
          activityWritesMin: Math.min(...samples.map((sample) => sample.activityWrites)),
          activityWritesMax: Math.max(...samples.map((sample) => sample.activityWrites)),
        }
      : null,
    singleItemRead: scenario.singleItemRead === true,
    oneRequestTarget: scenario.oneRequestTarget === true,
    decisionTarget: scenario.decisionTarget === true,
    note: scenario.note ?? null,
  };
}
