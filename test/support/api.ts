import { randomBytes } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { localDynamoClient } from '../../scripts/local/dynamodb-local';
import { type LocalStack, startLocalStack } from '../../scripts/local/stack';
import type { TokenRequest } from '../../scripts/local/token-issuer';
import { checkContract } from './contract';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestUser {
  userId: string;
  email: string;
  name: string;
  token: string;
}

export interface RequestOptions {
  token?: string | undefined;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * The local server on its own table of the run's shared DynamoDB Local, with
 * a client that checks every answer against the contract's schemas.
 */
export async function startTestApi(options: { mailVisibilityMs?: number } = {}) {
  const tableName = `test-${randomBytes(6).toString('hex')}`;
  const stack: LocalStack = await startLocalStack({
    host: '127.0.0.1',
    apiPort: 0,
    tableName,
    dynamoEndpoint: inject('dynamoEndpoint'),
    sesUrl: inject('sesUrl'),
    logLevel: 'SILENT',
    ...options,
  });
  const admin = localDynamoClient(stack.dynamoEndpoint);
  const documents = DynamoDBDocumentClient.from(admin, { marshallOptions: { removeUndefinedValues: true } });

  async function request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    checkContract(method, path, response.status, parsed);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  let userCount = 0;
  async function user(overrides: Partial<TokenRequest> = {}): Promise<TestUser> {
    userCount += 1;
    const name = overrides.name ?? `User ${String(userCount).padStart(4, '0')}`;
    const email = overrides.email ?? `user${userCount}-${randomBytes(3).toString('hex')}@example.com`;
    const { token, sub } = await stack.issuer.sign({ ...overrides, email, name });
    return { userId: sub, email, name, token };
  }

  return {
    url: stack.apiUrl,
    sesUrl: stack.sesUrl,
    /** The mail queue and the mailer; `await api.mail.settled()` before reading the local SES. */
    mail: stack.mail,
    tableName,
    issuer: stack.issuer,
    documents,
    request,
    user,
    get: <T = any>(path: string, token?: string, options: RequestOptions = {}) =>
      request<T>('GET', path, { ...options, token }),
    post: <T = any>(path: string, token: string | undefined, body?: unknown, options: RequestOptions = {}) =>
      request<T>('POST', path, { ...options, token, body }),
    patch: <T = any>(path: string, token: string | undefined, body?: unknown, options: RequestOptions = {}) =>
      request<T>('PATCH', path, { ...options, token, body }),
    put: <T = any>(path: string, token: string | undefined, body?: unknown, options: RequestOptions = {}) =>
      request<T>('PUT', path, { ...options, token, body }),
    del: <T = any>(path: string, token: string | undefined, options: RequestOptions = {}) =>
      request<T>('DELETE', path, { ...options, token }),
    async stop() {
      documents.destroy();
      await stack.stop();
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
