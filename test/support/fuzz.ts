import fc from 'fast-check';
import { expect } from 'vitest';
import type { RouteDefinition } from '../../shared/http/route';
import type { ApiResponse } from './api';

/** Generated input a hostile client sends: bodies a route's schema refuses, and raw texts no JSON body is. */

/** The contract's error body, whatever the error. */
export function expectErrorBody(response: ApiResponse, context: string) {
  expect(response.status, context).toBeGreaterThanOrEqual(400);
  expect(response.status, context).toBeLessThan(500);
  expect(response.body, context).toMatchObject({
    title: expect.any(String),
    code: expect.any(String),
    message: expect.any(String),
    requestId: expect.any(String),
  });
  expect(JSON.stringify(response.body), context).not.toMatch(/Exception|at .*\.ts:\d+|test-[0-9a-f]{12}/);
}

/** Any string as a query value or JSON text: binary (lone surrogates too), long, or plain. */
export const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 250, maxLength: 1200 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', 'null', 'undefined', '__proto__', '%', '../', '💥'),
);

/** Values of the wrong type (or the right type and absurd). */
const hostileValue = fc.oneof(
  fc.anything(),
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, [], {}, [null], { $ne: null }),
  fc.constant('x'.repeat(70_000)),
);

/** Bodies the contract refuses (checked against the route's own schema, as sent on the wire). */
function badBodies(route: RouteDefinition, sample: Record<string, unknown>) {
  const schema = route.input.body;
  if (!schema) throw new Error(`${route.operation} takes no body`);
  const fields = Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape);
  const unknownKey = fc.oneof(
    fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !fields.includes(key)),
    fc.constantFrom(
      'constructor',
      'toString',
      'isAdmin',
      'workspaceId',
      'members',
      'useCount',
      'exclusiveHolder',
    ),
  );
  return fc
    .oneof(
      fc.anything(),
      fc.dictionary(fc.constantFrom(...fields), hostileValue, { minKeys: 1 }),
      fc
        .tuple(fc.constantFrom(...fields), hostileValue)
        .map(([field, value]) => ({ ...sample, [field]: value })),
      fc.tuple(unknownKey, fc.jsonValue()).map(([key, value]) => ({ ...sample, [key]: value })),
    )
    .map((body) => JSON.stringify(body) ?? 'null')
    .filter((raw) => !schema.safeParse(JSON.parse(raw)).success);
}

/** Raw texts that are no acceptable JSON body. */
const rawTexts = [
  '',
  '{',
  '{"access": "shared",}',
  "{'access': 'shared'}",
  'NaN',
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `{"name": ${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
  '{"__proto__": {"access": "exclusive", "name": "Hacked", "calls": false, "mode": "random"}}',
  '{"constructor": {"prototype": {"isAdmin": true}}}',
  '\uFEFF{}',
];

/**
 * Sends every raw text and generated bad body to a route: each is a 400 (or
 * 413 past the size limit) in the error body; `also` checks more of each answer.
 */
export async function expectBadBodiesRefused(
  route: RouteDefinition,
  sample: Record<string, unknown>,
  send: (rawBody: string) => Promise<ApiResponse>,
  options: { numRuns: number; also?: (response: ApiResponse) => void },
) {
  for (const raw of rawTexts) {
    const response = await send(raw);
    expect(response.status, raw.slice(0, 60)).toBe(raw.length > 64 * 1024 ? 413 : 400);
    expectErrorBody(response, raw.slice(0, 60));
  }
  await fc.assert(
    fc.asyncProperty(badBodies(route, sample), async (raw) => {
      const response = await send(raw);
      expectErrorBody(response, raw.slice(0, 200));
      expect([400, 413], raw.slice(0, 200)).toContain(response.status);
      options.also?.(response);
    }),
    { numRuns: options.numRuns },
  );
}
