import { expect } from 'vitest';
import type * as z from 'zod/mini';
import type { RouteDefinition } from '../../shared/http/route';
import { errorSchema, itemEnvelope, listEnvelope } from '../../shared/http/schemas';
import { routeList } from '../../shared/routes';

function routeFor(method: string, path: string): RouteDefinition | undefined {
  const pathname = new URL(path, 'http://x').pathname;
  return routeList.find((route) => {
    const pattern = new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`);
    return route.method === method && pattern.test(pathname);
  });
}

function successSchema(route: RouteDefinition): z.ZodMiniType | undefined {
  const { response } = route;
  if (response.kind === 'item') return itemEnvelope(response.schema);
  if (response.kind === 'list') return listEnvelope(response.schema);
  if (response.kind === 'document') return response.schema;
  return undefined;
}

/** Every answer of the API must be the contract's: its envelope and schema, or the error body. */
export function checkContract(method: string, path: string, status: number, body: unknown): void {
  if (status >= 400) {
    const parsed = errorSchema.safeParse(body);
    expect(parsed.success, `error body of ${method} ${path}: ${JSON.stringify(body)}`).toBe(true);
    return;
  }
  const route = routeFor(method, path);
  if (!route) return;
  const { response } = route;
  if (status === 202 && response.kind === 'item' && response.accepted) {
    const parsed = itemEnvelope(response.accepted.schema).safeParse(body);
    expect(parsed.success, `${method} ${path} 202 body: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    return;
  }
  expect(status, `${method} ${path} status`).toBe(response.status);
  const schema = successSchema(route);
  if (!schema) {
    expect(body, `${method} ${path} has no body`).toBeUndefined();
    return;
  }
  const parsed = schema.safeParse(body);
  expect(parsed.success, `${method} ${path} body: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
}
