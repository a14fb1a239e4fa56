import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { activityAttribute } from '../../shared/access/tenancy';
import {
  type RouteDefinition,
  type TableAction,
  tableActionsFor,
  updatesOnlyActivity,
} from '../../shared/http/route';
import type { WorkerDefinition } from '../../shared/workers';

/** What one function's role allows on the table. */
interface Grant {
  name: string;
  actions: Set<TableAction>;
  indexes: readonly string[];
  /** The throttled activity write is allowed on its own. */
  activityWrite: boolean;
}

/** The function whose handler is running, as Lambda would know it from the function's role. */
const running = new AsyncLocalStorage<Grant>();

export const asRoute = <T>(route: RouteDefinition, run: () => Promise<T>) =>
  running.run(
    {
      name: route.operation,
      actions: new Set(tableActionsFor(route)),
      indexes: route.table.indexes ?? [],
      activityWrite: updatesOnlyActivity(route),
    },
    run,
  );

const asWorker = <T>(worker: WorkerDefinition, run: () => Promise<T>) =>
  running.run(
    {
      name: worker.name,
      actions: new Set(worker.table.actions),
      indexes: worker.table.indexes ?? [],
      activityWrite: false,
    },
    run,
  );

const repoRoot = new URL('../../', import.meta.url);

/** A worker's handler, from the file its registry entry names (the very module Lambda runs), run under its grant. */
export async function loadWorker<E, R>(worker: WorkerDefinition): Promise<(event: E) => Promise<R>> {
  const module = (await import(new URL(worker.handler, repoRoot).href)) as {
    handler: (event: E) => Promise<R>;
  };
  return (event) => asWorker(worker, () => module.handler(event));
}

class AccessDenied extends Error {
  override name = 'AccessDeniedException';
}

type Input = Record<string, unknown> & { TransactItems?: Record<string, unknown>[] };

/** The IAM actions one DynamoDB request needs, as `dynamodb:<action>`. */
function actionsOf(commandName: string, input: Input): TableAction[] {
  const name = commandName.replace(/Command$/, '');
  if (name === 'TransactWrite' || name === 'TransactWriteItems') {
    const kinds: Record<string, TableAction> = {
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      ConditionCheck: 'ConditionCheckItem',
    };
    return (input.TransactItems ?? []).flatMap((item) =>
      Object.keys(item).map((kind) => kinds[kind] as TableAction),
    );
  }
  const single: Record<string, TableAction> = {
    Get: 'GetItem',
    Put: 'PutItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    BatchGet: 'BatchGetItem',
    Query: 'Query',
  };
  return [single[name] ?? (name as TableAction)];
}

/** An update that sets the activity attribute (by name or through an attribute-name placeholder) and nothing else. */
function setsOnlyActivity(input: Input): boolean {
  const set = /^SET (#?\w+) = :\w+$/.exec(String(input.UpdateExpression ?? '').trim());
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const attribute = set?.[1]?.startsWith('#') ? names[set[1]] : set?.[1];
  return attribute === activityAttribute;
}

/**
 * Emulates each function's IAM role locally: a handler may send only the
 * DynamoDB actions its route (or worker) is granted in AWS (and query only
 * its listed indexes), else the request fails as it would there. The
 * integration tests thus also prove the least-privilege grants.
 */
export function enforceFunctionPermissions(client: DynamoDBDocumentClient): void {
  if (client.middlewareStack.identify().some((entry) => entry.startsWith('localRoutePermissions'))) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const grant = running.getStore();
      if (grant) {
        const input = args.input as Input;
        for (const action of actionsOf(context.commandName ?? '', input)) {
          const activity = action === 'UpdateItem' && grant.activityWrite && setsOnlyActivity(input);
          if (!grant.actions.has(action) && !activity) {
            throw new AccessDenied(`${grant.name} is not allowed dynamodb:${action}`);
          }
        }
        const index = input.IndexName;
        if (typeof index === 'string' && !grant.indexes.includes(index)) {
          throw new AccessDenied(`${grant.name} is not allowed to query the index ${index}`);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'localRoutePermissions' },
  );
}
