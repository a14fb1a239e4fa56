import { Agent, request } from 'node:http';

/** A signed-in person the bench acts as. */
export interface BenchUser {
  userId: string;
  email: string;
  name: string;
  token: string;
}

export interface BenchResponse {
  status: number;
  /** The parsed JSON body, if any. */
  body: unknown;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A minimal HTTP client for the local API over one kept-alive connection
 * (node:http rather than fetch: less client overhead in every sample). It
 * remembers who made the last call, for the bench to tell the caller's own
 * membership read (authorization) from other reads.
 */
export function createBenchApi(baseUrl: string) {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let lastCaller: BenchUser | undefined;

  function call(
    user: BenchUser | undefined,
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<BenchResponse> {
    lastCaller = user;
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (user) headers.authorization = `Bearer ${user.token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const outgoing = request(
        { host: base.hostname, port: base.port, method, path, headers, agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  return {
    call,
    get: (user: BenchUser | undefined, path: string) => call(user, 'GET', path),
    post: (user: BenchUser, path: string, body?: unknown, headers?: Record<string, string>) =>
      call(user, 'POST', path, { body, ...(headers ? { headers } : {}) }),
    patch: (user: BenchUser, path: string, body: unknown) => call(user, 'PATCH', path, { body }),
    del: (user: BenchUser, path: string) => call(user, 'DELETE', path),
    /** Who made the most recent call (undefined for a public route). */
    get lastCaller() {
      return lastCaller;
    },
    close: () => agent.destroy(),
  };
}

export type BenchApi = ReturnType<typeof createBenchApi>;
