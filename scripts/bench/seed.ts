import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { defaultSettings, type NumberAccess, type Role } from '../../shared/access/roles';
import type { MemberItem, WorkspaceItem } from '../../shared/access/tenancy';
import { newId } from '../../shared/core/ids';
import { e164Key, memberKey, verifiedDomainKey, workspaceKey } from '../../shared/db/keys';
import { suppressAddress } from '../../shared/email/suppression';
import { auditStep } from '../../shared/features/audit/events';
import { billingRecord, firstBilling, ledgerRecord } from '../../shared/features/billing/items';
import { periodEndOf } from '../../shared/features/billing/proration';
import {
  claimValidityMs,
  type DomainClaimItem,
  domainClaimRecord,
  joinRequestRecord,
} from '../../shared/features/domains/items';
import {
  type InvitationItem,
  invitationAddressRecord,
  invitationRecord,
  invitationValidityMs,
  newInvitationToken,
  tokenRecord,
} from '../../shared/features/invitations/items';

import { memberAddressRecord, memberRecord, membershipRecord } from '../../shared/features/members/items';
import { moveCounts } from '../../shared/features/members/steps';
import {
  defaultCallFlow,
  defaultNotifications,
  defaultRingOrder,
  numberRecord,
  type PhoneNumberItem,
} from '../../shared/features/numbers/items';
import { subFromEmail, type TokenIssuer } from '../local/token-issuer';
import type { BenchUser } from './http';

export interface Person {
  userId: string;
  email: string;
  name: string;
}

export interface SeededMember extends Person {
  role: Role;
}

const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'];

/**
 * Writes the bench's data straight into the table with BatchWriteItem, item
 * by item as test/support/seed.ts does for one member (the member item, the
 * membership pointer, the member's address item, and the workspace's
 * counters), only in bulk.
 */
export function createSeeder(documents: DynamoDBDocumentClient, tableName: string, issuer: TokenIssuer) {
  let people = 0;
  let numberCount = 0;
  // Numbers differ from one run to the next (the bench may reuse a persisted table).
  const runSalt = randomBytes(3).readUIntBE(0, 3);

  /** New people with unique addresses; their ids are what the local token issuer makes their `sub`. */
  function newPeople(count: number, label: string, domain = 'example.com'): Person[] {
    return Array.from({ length: count }, () => {
      people += 1;
      const email = `bench-${label}-${people}@${domain}`;
      const name = `${firstNames[people % firstNames.length]} ${lastNames[(people * 7) % lastNames.length]} ${people}`;
      return { userId: subFromEmail(email), email, name };
    });
  }

  async function signIn(person: Person): Promise<BenchUser> {
    const { token, sub } = await issuer.sign({ email: person.email, name: person.name });
    if (sub !== person.userId) throw new Error(`unexpected sub for ${person.email}`);
    return { ...person, token };
  }

  async function batchWrite(items: Record<string, unknown>[], concurrency = 4): Promise<void> {
    const batches: Record<string, unknown>[][] = [];
    for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
    const writeBatch = async (batch: Record<string, unknown>[]) => {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 10) throw new Error('BatchWriteItem kept leaving items unprocessed');
        const result = await documents.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
        );
        pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < batches.length) {
          const batch = batches[next++];
          if (batch) await writeBatch(batch);
        }
      }),
    );
  }

  /**
   * The items of members of a workspace. `active` sets lastActiveAt to now,
   * so their requests in the next 15 minutes skip the activity write
   * (touchLastActive, shared/access/membership.ts); test/support/seed.ts leaves it null.
   */
  function memberItems(workspaceId: string, members: SeededMember[], active: boolean) {
    const at = new Date().toISOString();
    return members.flatMap((person) => {
      const member: MemberItem = {
        workspaceId,
        userId: person.userId,
        email: person.email.toLowerCase(),
        name: person.name,
        role: person.role,
        numberAccess: {},
        lastActiveAt: active ? at : null,
        joinedAt: at,
      };
      return [memberRecord(member), membershipRecord(member), memberAddressRecord(member)];
    });
  }

  const countOwners = (members: SeededMember[]) => members.filter((member) => member.role === 'owner').length;

  /** A workspace with these members (at least one owner), its counters set to match. */
  async function seedWorkspace(name: string, members: SeededMember[], active = true): Promise<string> {
    if (countOwners(members) === 0) throw new Error('a workspace needs an owner');
    const at = new Date().toISOString();
    const workspace: WorkspaceItem = {
      id: newId('WS'),
      name,
      status: 'active',
      plan: 'business',
      settings: defaultSettings,
      memberCount: members.length,
      ownerCount: countOwners(members),
      createdAt: at,
      updatedAt: at,
    };
    await batchWrite([
      { ...workspaceKey(workspace.id), ...workspace },
      ...memberItems(workspace.id, members, active),
    ]);
    return workspace.id;
  }

  /**
   * A workspace's billing item, as its creation writes it: the seats it has,
   * a period from `periodStart` (default today), and `ledgerLines` charge
   * lines before it (one per seat added, for a ledger to page through).
   */
  async function seedBilling(
    workspaceId: string,
    options: { seats: number; periodStart?: string; ledgerLines?: number },
  ): Promise<void> {
    const today = new Date().toISOString().slice(0, 10);
    const periodStart = options.periodStart ?? today;
    const lines = options.ledgerLines ?? 0;
    const item = {
      ...firstBilling(
        {
          id: workspaceId,
          createdAt: `${periodStart}T00:00:00Z`,
          memberCount: options.seats,
          plan: 'business',
        } as WorkspaceItem,
        0,
        new Date(`${periodStart}T12:00:00Z`),
      ),
      dueCents: lines * 27_600,
      revision: lines,
    };
    const at = new Date().toISOString();
    await batchWrite([
      billingRecord(item, { renews: true }),
      ...Array.from({ length: lines }, (_, index) =>
        ledgerRecord({
          id: `LL${String(index + 1).padStart(12, '0')}00`,
          workspaceId,
          at,
          kind: 'charge',
          reason: 'seat.added',
          quantity: 1,
          unitAnnualCents: 27_600,
          days: 365,
          daysInPeriod: 365,
          amountCents: 27_600,
          periodStart,
          periodEnd: periodEndOf(periodStart),
          balanceAfterCents: 0,
          subject: { type: 'member', id: `seeded-${index}` },
        }),
      ),
    ]);
  }

  /** More members in an existing workspace, and its counters moved to match. */
  async function addMembers(workspaceId: string, members: SeededMember[], active = true): Promise<void> {
    await batchWrite(memberItems(workspaceId, members, active));
    const counts = moveCounts(workspaceId, { members: members.length, owners: countOwners(members) });
    if (!('update' in counts)) throw new Error('moveCounts no longer returns an update');
    await documents.send(new UpdateCommand({ TableName: tableName, ...counts.update }));
  }

  /** Audit events as the changes themselves write them (auditStep), here role changes by `actor`. */
  async function seedAuditEvents(workspaceId: string, actor: Person, count: number): Promise<void> {
    const start = Date.now() - count * 1000;
    const items = Array.from({ length: count }, (_, index) => {
      const step = auditStep({
        workspaceId,
        caller: { userId: actor.userId, email: actor.email, emailVerified: true, name: actor.name },
        action: 'member.roleChanged',
        target: { type: 'member', id: `bench-target-${index}` },
        before: { role: 'member' },
        after: { role: 'admin' },
        requestId: `bench-${index}`,
        now: new Date(start + index * 1000),
      });
      if (!('put' in step) || !step.put.Item) throw new Error('auditStep no longer returns a put');
      return step.put.Item;
    });
    await batchWrite(items);
  }

  /**
   * Pending invitations as createInvitations writes them (the invitation, its
   * token item and its hold on the address), and the tokens their links carry.
   */
  async function seedInvitations(
    workspaceId: string,
    inviter: Person,
    invitees: Person[],
  ): Promise<{ person: Person; invitationId: string; token: string }[]> {
    const now = Date.now();
    const seeded = invitees.map((person) => {
      const { token, tokenHash } = newInvitationToken();
      const item: InvitationItem = {
        id: newId('IV', now),
        workspaceId,
        workspaceName: 'Bench',
        email: person.email.toLowerCase(),
        role: 'member',
        phoneAssignment: { mode: 'new' },
        status: 'pending',
        tokenHash,
        invitedBy: { userId: inviter.userId, name: inviter.name },
        createdAt: new Date(now).toISOString(),
        validUntil: new Date(now + invitationValidityMs).toISOString(),
        // Sent a while ago: past the one-minute resend cooldown.
        delivery: {
          status: 'sent',
          reason: null,
          attempts: 1,
          lastAttemptAt: new Date(now - 120_000).toISOString(),
          messageId: newId('EM', now),
        },
      };
      return { person, item, token };
    });
    await batchWrite(
      seeded.flatMap(({ item }) => [
        invitationRecord(item),
        tokenRecord(item),
        invitationAddressRecord(item),
      ]),
    );
    return seeded.map(({ person, item, token }) => ({ person, invitationId: item.id, token }));
  }

  /** Addresses on the workspace's suppressed addresses, as a hard bounce leaves them. */
  async function seedSuppressions(workspaceId: string, emails: string[]): Promise<void> {
    const at = new Date().toISOString();
    await batchWrite(
      emails.map((email) => {
        const step = suppressAddress({ workspaceId, email, reason: 'bounce', at, messageId: newId('EM') });
        if (!('put' in step) || !step.put.Item) throw new Error('suppressAddress no longer returns a put');
        return step.put.Item;
      }),
    );
  }

  /**
   * Claims of the workspace's, verified (with their holder items) or still
   * pending, as the claim and verify routes leave them; each one's token.
   */
  async function seedDomains(
    workspaceId: string,
    domains: string[],
    options: { status: 'verified' | 'pending'; includeSubdomains?: boolean; lastSeenAt?: Date },
  ): Promise<{ domain: string; token: string }[]> {
    const now = new Date();
    const claims: DomainClaimItem[] = domains.map((domain) => ({
      workspaceId,
      domain,
      status: options.status,
      joinPolicy: 'automatic',
      includeSubdomains: options.includeSubdomains ?? false,
      token: randomBytes(16).toString('base64url'),
      claimedAt: now.toISOString(),
      claimedBy: { userId: 'bench' },
      expiresAt: new Date(now.getTime() + claimValidityMs).toISOString(),
      revision: 1,
      ...(options.status === 'verified'
        ? {
            verifiedAt: now.toISOString(),
            lastSeenAt: (options.lastSeenAt ?? now).toISOString(),
            lastCheckedAt: (options.lastSeenAt ?? now).toISOString(),
          }
        : {}),
    }));
    const holders = claims
      .filter((claim) => claim.status === 'verified')
      .map((claim) => ({
        ...verifiedDomainKey(claim.domain),
        domain: claim.domain,
        workspaceId,
        status: 'verified',
        joinPolicy: claim.joinPolicy,
        includeSubdomains: claim.includeSubdomains,
      }));
    await batchWrite([...claims.map(domainClaimRecord), ...holders]);
    return claims.map((claim) => ({ domain: claim.domain, token: claim.token }));
  }

  /**
   * Numbers of a workspace (valid San Francisco numbers unique to this run),
   * with their registry items; held by `holder` when given (each exclusive,
   * number owner), whose member item then lists exactly these.
   */
  async function seedNumbers(
    workspaceId: string,
    count: number,
    holder?: { userId: string; access: NumberAccess },
  ): Promise<PhoneNumberItem[]> {
    const at = new Date().toISOString();
    const numbers: PhoneNumberItem[] = Array.from({ length: count }, () => {
      numberCount += 1;
      const number = `+1415${String(2_000_000 + ((runSalt + numberCount * 7919) % 8_000_000))}`;
      return {
        id: newId('PN'),
        workspaceId,
        number,
        formattedNumber: number,
        country: 'US',
        name: `Line ${numberCount}`,
        callerIdName: null,
        businessHours: null,
        callFlow: defaultCallFlow,
        ringOrder: defaultRingOrder,
        members: holder
          ? {
              [holder.userId]: {
                access: holder.access,
                numberOwner: holder.access !== 'read-only',
                notifications: defaultNotifications,
                historyVisibleFrom: null,
                since: at,
                availability: null,
              },
            }
          : {},
        useCount: holder && holder.access !== 'read-only' ? 1 : 0,
        ...(holder?.access === 'exclusive' ? { exclusiveHolder: holder.userId } : {}),
        createdAt: at,
        updatedAt: at,
        createdBy: 'bench',
      };
    });
    await batchWrite(
      numbers.flatMap((item) => [
        numberRecord(item),
        { ...e164Key(item.number), workspaceId, phoneNumberId: item.id },
      ]),
    );
    if (holder) {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: memberKey(workspaceId, holder.userId),
          UpdateExpression: 'SET numberAccess = :held',
          ExpressionAttributeValues: {
            ':held': Object.fromEntries(
              numbers.map((item) => [item.id, { number: item.number, access: holder.access }]),
            ),
          },
        }),
      );
    }
    return numbers;
  }

  /** The telephony side's stand-in, for the internal routes. */
  async function service(): Promise<BenchUser> {
    const { token } = await issuer.signService();
    return { userId: 'service:telephony', email: '', name: 'Telephony', token };
  }

  /** Pending requests to join the workspace through one of its domains. */
  async function seedJoinRequests(workspaceId: string, domain: string, people: Person[]): Promise<void> {
    const at = Date.now();
    await batchWrite(
      people.map((person, index) =>
        joinRequestRecord({
          workspaceId,
          userId: person.userId,
          email: person.email,
          name: person.name,
          domain,
          status: 'pending',
          createdAt: new Date(at + index).toISOString(),
        }),
      ),
    );
  }

  return {
    newPeople,
    seedDomains,
    seedJoinRequests,
    signIn,
    batchWrite,
    seedWorkspace,
    seedBilling,
    addMembers,
    seedAuditEvents,
    seedInvitations,
    seedSuppressions,
    seedNumbers,
    service,
  };
}

export type Seeder = ReturnType<typeof createSeeder>;
