import { createBillingScenarios } from './billing-scenarios';
import { createDomainScenarios } from './domain-scenarios';
import type { BenchResponse, BenchUser } from './http';
import { createNumberScenarios } from './number-scenarios';
import { createPortingScenarios } from './porting-scenarios';
import { type BenchContext, nth, pageSize, type Scenario } from './scenario';

import type { SeededMember } from './seed';

const workspacePath = (context: BenchContext) => `/v1/workspaces/${context.workspaceId}`;

/** A page-walking list: each iteration fetches the next full page, starting over after the last. */
function pageWalker(fetchPage: (after: string | undefined) => Promise<BenchResponse>) {
  let after: string | undefined;
  return async () => {
    const response = await fetchPage(after);
    const body = response.body as { data?: unknown[]; nextCursor?: string | null } | undefined;
    if (response.status === 200 && (!body?.data || (body.nextCursor && body.data.length !== pageSize))) {
      throw new Error(`expected a full page of ${pageSize}, got ${body?.data?.length}`);
    }
    after = body?.nextCursor ?? undefined;
    return response;
  };
}

const page = (after: string | undefined, extra = '') =>
  `?limit=${pageSize}${extra}${after ? `&after=${encodeURIComponent(after)}` : ''}`;

/**
 * The scenarios, in the order they run: reads on the plain 1,000-member
 * workspace first, then changes. Add one by defining it here and listing it
 * at the end.
 */
export function createScenarios(context: BenchContext): Scenario[] {
  const getApiInfo: Scenario = {
    name: 'getApiInfo',
    operation: 'getApiInfo',
    expectedRequests: 0,
    note: 'public: the API’s name, version and OpenAPI path, no DynamoDB',
    run: () => context.api.get(undefined, '/v1'),
  };

  const getOpenApi: Scenario = {
    name: 'getOpenApi',
    operation: 'getOpenApi',
    expectedRequests: 0,
    note: 'public, a static document: no DynamoDB at all',
    run: () => context.api.get(undefined, '/openapi.json'),
  };

  // The member also belongs to three small workspaces: four in all.
  const getMe: Scenario = {
    name: 'getMe',
    operation: 'getMe',
    expectedRequests: 2,
    note: 'no workspace to authorize; Query of the caller’s memberships + one BatchGetItem of each workspace and role (4 workspaces)',
    async prepare() {
      for (const name of ['Side project', 'Partner', 'Old team']) {
        const [owner] = context.seed.newPeople(1, 'side-owner');
        if (!owner) throw new Error('no owner');
        await context.seed.seedWorkspace(name, [
          { ...owner, role: 'owner' },
          { ...context.member, role: 'member' },
        ]);
      }
    },
    run: () => context.api.get(context.member, '/v1/me'),
  };

  const listWorkspaces: Scenario = {
    name: 'listWorkspaces',
    operation: 'listWorkspaces',
    expectedRequests: 2,
    note: 'as getMe, one page: Query + BatchGetItem',
    run: () => context.api.get(context.member, '/v1/workspaces'),
  };

  const getWorkspace: Scenario = {
    name: 'getWorkspace',
    operation: 'getWorkspace',
    expectedRequests: 1,
    singleItemRead: true,
    note: 'authorization only: one BatchGetItem brings the membership and the workspace together',
    run: () => context.api.get(context.member, workspacePath(context)),
  };

  const getPermissions: Scenario = {
    name: 'getPermissions',
    operation: 'getPermissions',
    expectedRequests: 1,
    note: 'as getWorkspace: the answer is computed from the membership and the settings',
    run: () => context.api.get(context.member, `${workspacePath(context)}/permissions`),
  };

  const getMember: Scenario = {
    name: 'getMember',
    operation: 'getMember',
    expectedRequests: 1,
    singleItemRead: true,
    note: 'another member (cycling through all 1,000): one BatchGetItem brings the caller’s membership (authorization) and the target',
    run: (i) => {
      const target = context.members[i % context.members.length];
      return context.api.get(context.member, `${workspacePath(context)}/members/${target?.userId}`);
    },
  };

  const getMemberSelf: Scenario = {
    name: 'getMember (self)',
    operation: 'getMember',
    expectedRequests: 1,
    singleItemRead: true,
    note: 'the caller’s own member item: the authorization read is the answer',
    run: () => context.api.get(context.member, `${workspacePath(context)}/members/${context.member.userId}`),
  };

  const walkMembers = pageWalker((after) =>
    context.api.get(context.member, `${workspacePath(context)}/members${page(after)}`),
  );
  const listMembers: Scenario = {
    name: 'listMembers',
    operation: 'listMembers',
    expectedRequests: 2,
    note: 'pages of 100 in name order, walking all 10 pages with the cursor: GetItem + one GSI1 Query',
    run: () => walkMembers(),
  };

  const listAdmins: Scenario = {
    name: 'listMembers ?role=admin',
    operation: 'listMembers',
    expectedRequests: 2,
    note: '50 admins among 1,000 members, read from their own role list on GSI2: GetItem + one Query',
    run: () =>
      context.api.get(context.member, `${workspacePath(context)}/members${page(undefined, '&role=admin')}`),
  };

  const walkAudit = pageWalker((after) =>
    context.api.get(context.owner, `${workspacePath(context)}/audit-events${page(after)}`),
  );
  const listAuditEvents: Scenario = {
    name: 'listAuditEvents',
    operation: 'listAuditEvents',
    expectedRequests: 2,
    note: '500 events seeded, pages of 100 walked with the cursor: GetItem + Query',
    async prepare() {
      await context.seed.seedAuditEvents(context.workspaceId, context.owner, 500);
    },
    run: () => walkAudit(),
  };

  let creator: BenchUser;
  const runId = Date.now().toString(36);
  const createWorkspace: Scenario = {
    name: 'createWorkspace',
    operation: 'createWorkspace',
    expectedRequests: 1,
    note: 'with an Idempotency-Key: one TransactWriteItems (workspace, owner, pointer, address, audit, key record, the billing item and the creator’s seat line)',
    async prepare() {
      const [person] = context.seed.newPeople(1, 'creator');
      if (!person) throw new Error('no creator');
      creator = await context.seed.signIn(person);
    },
    run: (i) =>
      context.api.post(
        creator,
        '/v1/workspaces',
        { name: `Bench ${i}` },
        { 'idempotency-key': `bench-${runId}-${i}` },
      ),
  };

  const updateWorkspace: Scenario = {
    name: 'updateWorkspace',
    operation: 'updateWorkspace',
    expectedRequests: 2,
    note: 'a new name every time: BatchGetItem (membership + workspace) + TransactWriteItems',
    run: (i) => context.api.patch(context.owner, workspacePath(context), { name: `Acme ${i}` }),
  };

  let roleTargets: SeededMember[] = [];
  const updateMemberRole: Scenario = {
    name: 'updateMemberRole',
    operation: 'updateMemberRole',
    expectedRequests: 2,
    note: 'an admin toggles 20 fresh members member↔admin, a real change every time: BatchGetItem (caller, target) + TransactWriteItems',
    async prepare() {
      roleTargets = context.seed.newPeople(20, 'role').map((person) => ({ ...person, role: 'member' }));
      await context.seed.addMembers(context.workspaceId, roleTargets);
    },
    run: (i) => {
      const target = roleTargets[i % roleTargets.length];
      const role = Math.floor(i / roleTargets.length) % 2 === 0 ? 'admin' : 'member';
      return context.api.patch(context.admin, `${workspacePath(context)}/members/${target?.userId}`, {
        role,
      });
    },
  };

  let pair: [BenchUser, BenchUser];
  const transferOwnership: Scenario = {
    name: 'transferOwnership',
    operation: 'transferOwnership',
    expectedRequests: 2,
    note: 'two fresh members hand ownership back and forth: BatchGetItem (caller, target) + TransactWriteItems',
    async prepare() {
      const [first, second] = context.seed.newPeople(2, 'transfer');
      if (!first || !second) throw new Error('no pair');
      await context.seed.addMembers(context.workspaceId, [
        { ...first, role: 'owner' },
        { ...second, role: 'admin' },
      ]);
      pair = [await context.seed.signIn(first), await context.seed.signIn(second)];
    },
    run: (i) => {
      const [from, to] = i % 2 === 0 ? pair : [pair[1], pair[0]];
      return context.api.post(from, `${workspacePath(context)}/ownership-transfer`, { userId: to.userId });
    },
  };

  let removable: SeededMember[] = [];
  const removeMember: Scenario = {
    name: 'removeMember',
    operation: 'removeMember',
    expectedRequests: 4,
    note: 'the owner removes a fresh member (no numbers) each time: GetItem (caller) + BatchGetItem (the target and an unfinished removal of theirs) + BatchGetItem (workspace and billing item: the billed read) + TransactWriteItems (with the credit line and the billing item)',
    async prepare() {
      removable = context.seed
        .newPeople(context.iterations, 'removed')
        .map((p) => ({ ...p, role: 'member' }));
      await context.seed.addMembers(context.workspaceId, removable);
    },
    run: (i) => context.api.del(context.owner, `${workspacePath(context)}/members/${removable[i]?.userId}`),
  };

  let leavers: BenchUser[] = [];
  const leaveWorkspace: Scenario = {
    name: 'leaveWorkspace',
    operation: 'leaveWorkspace',
    expectedRequests: 3,
    note: 'a fresh member leaves each time: GetItem + BatchGetItem (workspace and billing item: the billed read) + TransactWriteItems (with the credit line and the billing item)',
    async prepare() {
      const people = context.seed.newPeople(context.iterations, 'leaver');
      await context.seed.addMembers(
        context.workspaceId,
        people.map((person) => ({ ...person, role: 'member' })),
      );
      leavers = await Promise.all(people.map((person) => context.seed.signIn(person)));
    },
    run: (i) => context.api.post(leavers[i] as BenchUser, `${workspacePath(context)}/leave`),
  };

  let inactive: BenchUser[] = [];
  const getWorkspaceInactive: Scenario = {
    name: 'getWorkspace (first call in 15 min)',
    operation: 'getWorkspace',
    expectedRequests: 2,
    note: 'fresh members with no recent activity: the authorization read + the throttled lastActiveAt UpdateItem (at most once per member per 15 minutes)',
    async prepare() {
      const people = context.seed.newPeople(context.iterations, 'inactive');
      await context.seed.addMembers(
        context.workspaceId,
        people.map((person) => ({ ...person, role: 'member' })),
        false,
      );
      inactive = await Promise.all(people.map((person) => context.seed.signIn(person)));
    },
    run: (i) => context.api.get(inactive[i], workspacePath(context)),
  };

  // Invitations. A workspace, and a person, may send 200 invitations an hour: batches are spread over
  // fresh workspaces, each with its own owner.
  const invitationBatch = (batchSize: number, iterations?: Scenario['iterations']): Scenario => {
    const batchesPerWorkspace = Math.max(1, Math.floor(200 / batchSize) - 1);
    const count = iterations ? iterations.samples + iterations.warmup : context.iterations;
    let inviters: { workspaceId: string; owner: BenchUser }[] = [];
    return {
      name: `createInvitations (${batchSize} addresses)`,
      operation: 'createInvitations',
      expectedRequests: 4 + batchSize,
      note: `${batchSize} new addresses: BatchGetItem (membership + workspace), two UpdateItems reserving ${batchSize} slots on the workspace’s and the inviter’s hourly counters, then per address one TransactWriteItems (invitation, token, address, checks, audit, and the email queued in the outbox), then GetItem (the billing item: what the seats would cost, for an owner); no SES call in the request`,
      ...(iterations ? { iterations } : {}),
      async prepare() {
        const owners = context.seed.newPeople(Math.ceil(count / batchesPerWorkspace), 'inviter');
        inviters = await Promise.all(
          owners.map(async (person, index) => ({
            workspaceId: await context.seed
              .seedWorkspace(`Invites ${batchSize}-${index}`, [{ ...person, role: 'owner' }])
              .then(async (id) => {
                await context.seed.seedBilling(id, { seats: 1 });
                return id;
              }),
            owner: await context.seed.signIn(person),
          })),
        );
      },
      run: (i) => {
        const { workspaceId, owner } = nth(inviters, Math.floor(i / batchesPerWorkspace));
        const emails = Array.from(
          { length: batchSize },
          (_, n) => `invitee-${runId}-${batchSize}-${i}-${n}@example.com`,
        );
        return context.api.post(owner, `/v1/workspaces/${workspaceId}/invitations`, {
          emails,
          role: 'member',
          phoneAssignment: { mode: 'new' },
        });
      },
    };
  };
  const createInvitations = invitationBatch(10);
  const createInvitationsOf100 = invitationBatch(100, { samples: 10, warmup: 2 });

  let invited: { person: BenchUser; invitationId: string; token: string }[] = [];
  const seedInvited = async (label: string) => {
    const people = context.seed.newPeople(context.iterations, label);
    const seeded = await context.seed.seedInvitations(context.workspaceId, context.admin, people);
    return Promise.all(
      seeded.map(async (entry) => ({ ...entry, person: await context.seed.signIn(entry.person) })),
    );
  };

  const getInvitation: Scenario = {
    name: 'getInvitation',
    operation: 'getInvitation',
    expectedRequests: 2,
    note: 'public preview of a link: GetItem of the token item (by the token’s hash) + BatchGetItem of the invitation and its workspace',
    async prepare() {
      invited = await seedInvited('invitee');
    },
    run: (i) => context.api.get(undefined, `/v1/invitations/${nth(invited, i).token}`),
  };

  const listMyInvitations: Scenario = {
    name: 'listMyInvitations',
    operation: 'listMyInvitations',
    expectedRequests: 2,
    note: 'one GSI1 Query under the caller’s verified address + BatchGetItem of their workspaces (their current names)',
    run: (i) => context.api.get(nth(invited, i).person, '/v1/me/invitations'),
  };

  const acceptInvitation: Scenario = {
    name: 'acceptInvitation',
    operation: 'acceptInvitation',
    expectedRequests: 4,
    note: 'GetItem of the token item + BatchGetItem of the invitation and its workspace + GetItem (the billing item: the billed read) + one TransactWriteItems (invitation, member, membership, address, counters, the authority’s role check, two audit events, the seat’s line and the billing item)',
    run: (i) => {
      const { person, token } = nth(invited, i);
      return context.api.post(person, '/v1/invitations/accept', { token });
    },
  };

  const walkInvitations = pageWalker((after) =>
    context.api.get(context.owner, `${workspacePath(context)}/invitations${page(after)}`),
  );
  const listInvitations: Scenario = {
    name: 'listInvitations',
    operation: 'listInvitations',
    expectedRequests: 2,
    note: 'the workspace’s invitations newest first, pages of 100 walked with the cursor: GetItem + Query',
    run: () => walkInvitations(),
  };

  let managed: { invitationId: string }[] = [];
  const resendInvitation: Scenario = {
    name: 'resendInvitation',
    operation: 'resendInvitation',
    expectedRequests: 5,
    note: 'BatchGetItem (membership + workspace) + GetItem of the invitation + two UpdateItems reserving a slot on the hourly counters + TransactWriteItems (new token, address, checks, audit, and the email queued in the outbox); no SES call in the request',
    async prepare() {
      managed = await seedInvited('resent');
    },
    run: (i) =>
      context.api.post(
        context.admin,
        `${workspacePath(context)}/invitations/${nth(managed, i).invitationId}/resend`,
      ),
  };

  const revokeInvitation: Scenario = {
    name: 'revokeInvitation',
    operation: 'revokeInvitation',
    expectedRequests: 3,
    note: 'BatchGetItem (membership + workspace) + GetItem of the invitation + TransactWriteItems (status, token, address, audit)',
    run: (i) =>
      context.api.del(context.admin, `${workspacePath(context)}/invitations/${nth(managed, i).invitationId}`),
  };

  let suppressed: string[] = [];
  const walkSuppressions = pageWalker((after) =>
    context.api.get(context.admin, `${workspacePath(context)}/suppressed-addresses${page(after)}`),
  );
  const listSuppressedAddresses: Scenario = {
    name: 'listSuppressedAddresses',
    operation: 'listSuppressedAddresses',
    expectedRequests: 2,
    note: 'the workspace’s suppressed addresses in address order, pages of 100: GetItem + Query',
    async prepare() {
      suppressed = Array.from({ length: context.iterations }, (_, i) => `bounced-${runId}-${i}@example.com`);
      await context.seed.seedSuppressions(context.workspaceId, suppressed);
    },
    run: () => walkSuppressions(),
  };

  const clearSuppressedAddress: Scenario = {
    name: 'clearSuppressedAddress',
    operation: 'clearSuppressedAddress',
    expectedRequests: 3,
    note: 'BatchGetItem (membership + workspace) + GetItem of the suppression + TransactWriteItems (its deletion, conditioned on the one read, and the audit event)',
    run: (i) =>
      context.api.del(context.admin, `${workspacePath(context)}/suppressed-addresses/${nth(suppressed, i)}`),
  };

  return [
    getApiInfo,
    getOpenApi,
    getMe,
    listWorkspaces,
    getWorkspace,
    getPermissions,
    getMember,
    getMemberSelf,
    listMembers,
    listAdmins,
    listAuditEvents,
    createWorkspace,
    updateWorkspace,
    updateMemberRole,
    transferOwnership,
    removeMember,
    leaveWorkspace,
    getWorkspaceInactive,
    createInvitations,
    createInvitationsOf100,
    getInvitation,
    listMyInvitations,
    acceptInvitation,
    listInvitations,
    resendInvitation,
    revokeInvitation,
    listSuppressedAddresses,
    clearSuppressedAddress,
    ...createDomainScenarios(context, runId),
    ...createNumberScenarios(context),
    ...createPortingScenarios(context),
    ...createBillingScenarios(context),
  ];
}
