import { challengeName, challengeValue } from '../../shared/features/domains/dns';
import type { BenchUser } from './http';
import { type BenchContext, nth, type Scenario } from './scenario';

/**
 * The claimed-domain routes and joining, on the 1,000-member workspace: its
 * verified domain (and a parent with includeSubdomains), fresh people at it
 * for each join, fresh claims for each verification and removal, seeded join
 * requests for each decision.
 */
export function createDomainScenarios(context: BenchContext, runId: string): Scenario[] {
  const { seed, api, workspaceId } = context;
  const workspacePath = `/v1/workspaces/${workspaceId}`;
  const domain = `bench-${runId}.example`;
  const parent = `parent-${runId}.example`;
  const fresh = (label: string) =>
    Array.from({ length: context.iterations }, (_, i) => `${label}-${i}-${runId}.example`);
  const signInAll = (people: ReturnType<typeof seed.newPeople>) =>
    Promise.all(people.map((person) => seed.signIn(person)));

  let atDomain: BenchUser[] = [];
  let atSubdomain: BenchUser | undefined;
  let elsewhere: BenchUser | undefined;
  let joiners: BenchUser[] = [];
  let toVerify: string[] = [];
  let toRemove: string[] = [];
  let requesters: BenchUser[] = [];

  const listJoinableNoMatch: Scenario = {
    name: 'listJoinableWorkspaces (no claimed domain)',
    operation: 'listJoinableWorkspaces',
    expectedRequests: 1,
    oneRequestTarget: true,
    note: 'the address’s domain, which no workspace holds: one GetItem-sized BatchGetItem of its holder item, nothing else',
    async prepare() {
      [elsewhere] = await signInAll(seed.newPeople(1, 'elsewhere', `unclaimed-${runId}.example`));
    },
    run: () => api.get(elsewhere, '/v1/me/joinable-workspaces'),
  };

  const listJoinable: Scenario = {
    name: 'listJoinableWorkspaces (verified domain)',
    operation: 'listJoinableWorkspaces',
    expectedRequests: 2,
    oneRequestTarget: true,
    note: 'a match: BatchGetItem of the holder item, then BatchGetItem of the workspace (name, member count) and of the caller’s membership there (members are not offered it)',
    async prepare() {
      await seed.seedDomains(workspaceId, [domain], { status: 'verified' });
      await seed.seedDomains(workspaceId, [parent], { status: 'verified', includeSubdomains: true });
      atDomain = await signInAll(seed.newPeople(1, 'looker', domain));
    },
    run: () => api.get(nth(atDomain, 0), '/v1/me/joinable-workspaces'),
  };

  const listJoinableSubdomain: Scenario = {
    name: 'listJoinableWorkspaces (subdomain, parent looked up)',
    operation: 'listJoinableWorkspaces',
    expectedRequests: 2,
    note: 'an address at eu.<parent>: one BatchGetItem of both holder items (the subdomain and the parent with includeSubdomains), then the workspace and membership',
    async prepare() {
      [atSubdomain] = await signInAll(seed.newPeople(1, 'sub', `eu.${parent}`));
    },
    run: () => api.get(atSubdomain, '/v1/me/joinable-workspaces'),
  };

  const joinWorkspace: Scenario = {
    name: 'joinWorkspace',
    operation: 'joinWorkspace',
    expectedRequests: 3,
    note: 'one read (BatchGetItem: the holder item, the workspace, the caller’s member, join request and address items) + BatchGetItem (workspace and billing item: the billed read) + one TransactWriteItems (member, membership, address, counters, the domain still admitting, audit, the seat’s line and the billing item)',
    async prepare() {
      joiners = await signInAll(seed.newPeople(context.iterations, 'joiner', domain));
    },
    run: (i) => api.post(nth(joiners, i), `${workspacePath}/join`),
  };

  const listDomains: Scenario = {
    name: 'listDomains',
    operation: 'listDomains',
    expectedRequests: 2,
    note: 'GetItem (authorization) + one Query of the workspace’s claims',
    run: () => api.get(context.admin, `${workspacePath}/domains?limit=100`),
  };

  const getDomain: Scenario = {
    name: 'getDomain',
    operation: 'getDomain',
    expectedRequests: 2,
    note: 'GetItem (authorization) + BatchGetItem of the claim and the domain’s holder item',
    run: () => api.get(context.admin, `${workspacePath}/domains/${domain}`),
  };

  const claimDomain: Scenario = {
    name: 'claimDomain',
    operation: 'claimDomain',
    expectedRequests: 2,
    note: 'BatchGetItem (membership + workspace) + one TransactWriteItems (holder check, claim, workspace active, audit)',
    run: (i) =>
      api.post(context.admin, `${workspacePath}/domains`, { email: `it@claim-${i}-${runId}.example` }),
  };

  const verifyDomain: Scenario = {
    name: 'verifyDomain',
    operation: 'verifyDomain',
    expectedRequests: 3,
    note: 'GetItem (authorization) + BatchGetItem (claim, holder) + one DNS lookup + one TransactWriteItems (holder, claim, workspace active, audit)',
    async prepare() {
      toVerify = fresh('verify');
      const claims = await seed.seedDomains(workspaceId, toVerify, { status: 'pending' });
      for (const claim of claims) {
        context.dns.setTxt(challengeName(claim.domain), { values: [challengeValue(claim.token)] });
      }
    },
    run: (i) => api.post(context.admin, `${workspacePath}/domains/${nth(toVerify, i)}/verify`),
  };

  const updateDomain: Scenario = {
    name: 'updateDomain',
    operation: 'updateDomain',
    expectedRequests: 3,
    note: 'BatchGetItem (membership + workspace) + BatchGetItem (claim, holder) + one TransactWriteItems (claim, holder, workspace active, audit)',
    run: (i) =>
      api.patch(context.admin, `${workspacePath}/domains/${domain}`, {
        joinPolicy: i % 2 === 0 ? 'automatic' : 'approval',
      }),
  };

  const removeDomain: Scenario = {
    name: 'removeDomain',
    operation: 'removeDomain',
    expectedRequests: 4,
    note: 'BatchGetItem (membership + workspace) + BatchGetItem (claim, holder) + one TransactWriteItems (claim, holder, audit) + one Query of pending join requests through it (none)',
    async prepare() {
      toRemove = fresh('remove');
      await seed.seedDomains(workspaceId, toRemove, { status: 'verified' });
    },
    run: (i) => api.del(context.admin, `${workspacePath}/domains/${nth(toRemove, i)}`),
  };

  const listJoinRequests: Scenario = {
    name: 'listJoinRequests',
    operation: 'listJoinRequests',
    expectedRequests: 2,
    note: 'GetItem (authorization) + one Query of the pending list on GSI2, newest first',
    async prepare() {
      const people = seed.newPeople(context.iterations * 2, 'requester', domain);
      await seed.seedJoinRequests(workspaceId, domain, people);
      requesters = await signInAll(people);
    },
    run: () => api.get(context.admin, `${workspacePath}/join-requests?status=pending&limit=100`),
  };

  const approveJoinRequest: Scenario = {
    name: 'approveJoinRequest',
    operation: 'approveJoinRequest',
    expectedRequests: 5,
    note: 'GetItem (authorization) + GetItem of the request + BatchGetItem (holder, member, address) + BatchGetItem (workspace and billing item: the billed read) + one TransactWriteItems (request, member, membership, address, counters, holder check, two audit events, the seat’s line and the billing item)',
    run: (i) =>
      api.post(context.admin, `${workspacePath}/join-requests/${nth(requesters, i).userId}/approve`),
  };

  const declineJoinRequest: Scenario = {
    name: 'declineJoinRequest',
    operation: 'declineJoinRequest',
    expectedRequests: 3,
    note: 'GetItem (authorization) + GetItem of the request + one TransactWriteItems (the request, its audit event)',
    run: (i) =>
      api.post(
        context.admin,
        `${workspacePath}/join-requests/${nth(requesters, context.iterations + i).userId}/decline`,
      ),
  };

  const listMyJoinRequests: Scenario = {
    name: 'listMyJoinRequests',
    operation: 'listMyJoinRequests',
    expectedRequests: 1,
    note: 'no workspace to authorize: one Query of the caller’s own requests on GSI3',
    run: (i) => api.get(nth(requesters, i), '/v1/me/join-requests'),
  };

  return [
    listJoinableNoMatch,
    listJoinable,
    listJoinableSubdomain,
    joinWorkspace,
    listDomains,
    getDomain,
    claimDomain,
    verifyDomain,
    updateDomain,
    removeDomain,
    listJoinRequests,
    listMyJoinRequests,
    approveJoinRequest,
    declineJoinRequest,
  ];
}
