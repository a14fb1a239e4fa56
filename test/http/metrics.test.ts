import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<{ statusCode?: number }>;
let handler: Handler;
const written: string[] = [];

beforeAll(async () => {
  // As deployed: metrics on, and the module environment every function has.
  process.env.TABLE_NAME ??= 'metrics-test';
  delete process.env.METRICS_DISABLED;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  ({ handler } = (await import('../../functions/documents/getApiInfo')) as { handler: Handler });
});
afterAll(() => vi.restoreAllMocks());

const event = (query?: Record<string, string>) =>
  ({
    version: '2.0',
    routeKey: 'GET /v1',
    rawPath: '/v1',
    headers: {},
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: { requestId: 'metrics-test', http: { method: 'GET', path: '/v1' } },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

/** The embedded-metric-format records printed since `from`. */
const recordsSince = (from: number) =>
  written
    .slice(from)
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } });

describe('per-operation metrics, in CloudWatch’s embedded metric format', () => {
  it('prints one record per request: requests, 4xx, 5xx and duration, by service and by operation', async () => {
    const from = written.length;
    expect((await handler(event())).statusCode).toBe(200);
    const [record] = recordsSince(from);
    expect(record).toMatchObject({
      service: 'switchboard',
      operation: 'getApiInfo',
      Requests: 1,
      Errors4xx: 0,
      Errors5xx: 0,
      Duration: expect.any(Number),
    });
    expect(record?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Switchboard',
        Dimensions: [['service', 'operation']],
        Metrics: expect.arrayContaining([
          { Name: 'Requests', Unit: 'Count' },
          { Name: 'Errors4xx', Unit: 'Count' },
          { Name: 'Errors5xx', Unit: 'Count' },
          { Name: 'Duration', Unit: 'Milliseconds' },
        ]),
      },
    ]);
  });

  it('counts a refused request as a 4xx', async () => {
    const from = written.length;
    expect((await handler(event({ unknown: 'x' }))).statusCode).toBe(400);
    expect(recordsSince(from)).toEqual([
      expect.objectContaining({ Requests: 1, Errors4xx: 1, Errors5xx: 0 }),
    ]);
  });
});
