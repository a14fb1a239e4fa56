import type { RouteName } from '../../shared/routes';
import type { LocalDns } from '../local/dns-server';
import type { BenchApi, BenchResponse, BenchUser } from './http';
import type { SeededMember, Seeder } from './seed';

/** What every scenario gets: the running API and the seeded 1,000-member workspace. */
export interface BenchContext {
  api: BenchApi;
  seed: Seeder;
  /** The workspace of 1,000 members (1 owner, 50 admins, 949 members), name-sorted pages of 100. */
  workspaceId: string;
  members: SeededMember[];
  /** Signed-in members of that workspace, by role. */
  owner: BenchUser;
  admin: BenchUser;
  member: BenchUser;
  /** How many times each scenario's `run` is called (warm-up included): prepare this many fresh targets. */
  iterations: number;
  /** The local DNS the domain verification asks. */
  dns: Pick<LocalDns, 'setTxt'>;
}

/**
 * One measured request type. `prepare` runs right before the scenario (set
 * up whatever each iteration consumes, e.g. one fresh member per removal);
 * `run(i)` sends exactly one request, i = 0 … iterations-1, and is timed as
 * a whole, so keep per-iteration set-up out of it. The bench checks the
 * response status against the route table, counts the DynamoDB requests the
 * handler made, and compares them with `expectedRequests`.
 */
export interface Scenario {
  /** Unique label in the tables: the operation, plus what sets this scenario apart if there are several. */
  name: string;
  operation: RouteName;
  /** DynamoDB requests one call should make; leave out when it depends on the data. */
  expectedRequests?: number;
  /** Why it costs what it costs, printed under the latency table. */
  note?: string;
  /** Counts for the "authorized single-item read ≤ 2× bare GetItem" target. */
  singleItemRead?: boolean;
  /** Counts for the "one DynamoDB request, p50 ≤ 2× bare GetItem" target (looking for a workspace to join, routing a call). */
  oneRequestTarget?: boolean;
  /** Counts for the decision's target: exactly one DynamoDB request, p50 ≤ 1.5× bare GetItem (the hot path). */
  decisionTarget?: boolean;
  /** Fewer iterations than the run's, for a slow request (a batch of 100): measured and warm-up. */
  iterations?: { samples: number; warmup: number };
  /** Set-up right before the scenario runs, e.g. seeding the fresh targets `run` consumes. */
  prepare?(): Promise<void>;
  run(i: number): Promise<BenchResponse>;
}

/** The page size of every list scenario: the API's maximum. */
export const pageSize = 100;

/** The i-th prepared target; a scenario never runs more iterations than it prepared. */
export function nth<T>(list: T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no prepared target for iteration ${i}`);
  return item;
}
