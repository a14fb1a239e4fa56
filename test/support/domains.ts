import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { routes } from '../../shared/routes';
import type { TestApi } from './api';
import { pathTo } from './paths';
import type { Team } from './seed';

/** A domain no other test uses: `.example` is reserved (RFC 2606), and the local DNS knows only what it is told. */
export const newDomain = (label = 'acme') => `${label}-${randomBytes(4).toString('hex')}.example`;

export const domainsPath = (team: Team) => pathTo(routes.listDomains, { workspaceId: team.workspaceId });
export const domainPath = (team: Team, domain: string) =>
  pathTo(routes.getDomain, { workspaceId: team.workspaceId, domain });
export const verifyPath = (team: Team, domain: string) =>
  pathTo(routes.verifyDomain, { workspaceId: team.workspaceId, domain });

/** A signed-in person asks to join a workspace through its domain. */
export const joinAs = (api: TestApi, workspaceId: string, token: string) =>
  api.post(pathTo(routes.joinWorkspace, { workspaceId }), token);

/** Sets TXT records on the local DNS, as `PUT /dev/dns/txt` does. */
export async function publish(api: TestApi, name: string, values: (string | string[])[], failure?: string) {
  const response = await api.request('PUT', '/dev/dns/txt', {
    body: { name, values, ...(failure ? { failure } : {}) },
  });
  expect(response.status).toBe(200);
}

/** The daily domain check, run once as of `now`. */
export async function recheck(api: TestApi, now?: Date) {
  const response = await api.post(
    '/dev/jobs/recheck-domains',
    undefined,
    now ? { now: now.toISOString() } : {},
  );
  expect(response.status).toBe(200);
  return response.body.data as Record<string, number | boolean>;
}

/** A claim by the team's owner; its record as the API gives it. */
export async function claim(api: TestApi, team: Team, domain: string) {
  const response = await api.post(domainsPath(team), team.owner.token, { email: `it@${domain}` });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data.record as { type: 'TXT'; name: string; value: string };
}

/** A domain the team has claimed, published and verified. */
export async function verifiedDomain(api: TestApi, team: Team, domain = newDomain()) {
  const record = await claim(api, team, domain);
  await publish(api, record.name, [record.value]);
  const verified = await api.post(verifyPath(team, domain), team.owner.token);
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  return { domain, record };
}
