import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local/free-port';
import { type RouteName, routes } from '../../shared/routes';
import { startTestApi, type TestApi } from '../support/api';
import { pathTo } from '../support/paths';
import { sampleRequests } from '../support/samples';
import { createTeam, type Team, tokenFor } from '../support/seed';

/**
 * Stoplight Prism, as a validating proxy in front of the local server: every
 * answer is checked against docs/openapi.json (the generated contract the
 * clients read), status, headers and body. A violation shows in the
 * `sl-violations` header.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let api: TestApi;
let prism: ChildProcess | undefined;
let proxyUrl = '';

function startPrism(upstream: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      `${repoRoot}node_modules/.bin/prism`,
      [
        'proxy',
        `${repoRoot}docs/openapi.json`,
        upstream,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--errors',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Prism did not start: ${output.slice(-500)}`));
    }, 60_000);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${code}): ${output.slice(-500)}`));
    });
  });
}

beforeAll(async () => {
  api = await startTestApi();
  const port = await freePort();
  prism = await startPrism(api.url, port);
  proxyUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  if (prism && prism.exitCode === null) {
    const exited = new Promise((resolve) => prism?.once('exit', resolve));
    prism.kill('SIGTERM');
    await exited;
  }
  await api?.stop();
});

async function throughProxy(method: string, path: string, token: string | undefined, body?: unknown) {
  const response = await fetch(`${proxyUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, violations: response.headers.get('sl-violations'), text };
}

const routeNames = Object.keys(routes) as RouteName[];

describe('every answer, through a validating proxy, matches the OpenAPI document', () => {
  let team: Team;
  beforeAll(async () => {
    team = await createTeam(api, 'Acme', {
      withInvitation: true,
      withSuppression: true,
      withNumber: true,
      withPortingRequest: true,
    });
  });

  it.each(routeNames)('%s: a valid request', async (name) => {
    const route = routes[name];
    const sample = sampleRequests[name](team);
    // The owner may do everything; leaving (the last owner) and the team's member as the target keep it valid.
    const token =
      route.access === 'public'
        ? undefined
        : name === 'leaveWorkspace'
          ? team.member.token
          : tokenFor(route, team);
    const answer = await throughProxy(route.method, sample.path, token, sample.body);
    expect(answer.violations, `${name} ${answer.status}: ${answer.text}`).toBeNull();
    expect(answer.status).toBeLessThan(500);
  });

  it('errors: 400, 403, 404 and 409 in the contract’s error body', async () => {
    const other = await createTeam(api, 'Other');
    const workspace = pathTo(routes.getWorkspace, { workspaceId: other.workspaceId });
    const cases = [
      { method: 'GET', path: `${workspace}/members?limit=500`, token: other.owner.token, status: 400 },
      {
        method: 'POST',
        path: `${workspace}/ownership-transfer`,
        token: other.admin.token,
        status: 403,
        body: { userId: other.member.userId },
      },
      { method: 'GET', path: workspace, token: team.owner.token, status: 404 },
      {
        method: 'PATCH',
        path: pathTo(routes.updateMemberRole, { workspaceId: other.workspaceId, userId: other.owner.userId }),
        token: other.owner.token,
        status: 409,
        body: { role: 'admin' },
      },
    ];
    for (const { method, path, token, status, body } of cases) {
      const answer = await throughProxy(method, path, token, body);
      expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(status);
      expect(answer.violations, `${method} ${path}`).toBeNull();
    }
  });
});
