import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { activityAttribute } from '../../shared/access/tenancy';
import {
  type RouteDefinition,
  type TableAction,
  tableActionsFor,
  updatesOnlyActivity,
} from '../../shared/http/route';

/** The route whose handler is running, as Lambda would know it from the function's role. */
const running = new AsyncLocalStorage<RouteDefinition>();
export const asRoute = <T>(route: RouteDefinition, run: () => Promise<T>) => running.run(route, run);

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
 * DynamoDB actions its route is granted in AWS (and query only its listed
 * indexes), else the request fails as it would there. The integration tests
 * thus also prove the least-privilege grants.
 */
export function enforceRoutePermissions(client: DynamoDBDocumentClient): void {
  if (client.middlewareStack.identify().some((entry) => entry.startsWith('localRoutePermissions'))) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const route = running.getStore();
      if (route) {
        const input = args.input as Input;
        const granted = new Set(tableActionsFor(route));
        for (const action of actionsOf(context.commandName ?? '', input)) {
          const activity = action === 'UpdateItem' && updatesOnlyActivity(route) && setsOnlyActivity(input);
          if (!granted.has(action) && !activity) {
            throw new AccessDenied(`${route.operation} is not allowed dynamodb:${action}`);
          }
        }
        const index = input.IndexName;
        if (typeof index === 'string' && !(route.table.indexes ?? []).includes(index)) {
          throw new AccessDenied(`${route.operation} is not allowed to query the index ${index}`);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'localRoutePermissions' },
  );
}
