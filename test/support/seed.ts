import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../../shared/access/roles';
import type { MemberItem, WorkspaceStatus } from '../../shared/access/tenancy';
import { newId } from '../../shared/core/ids';
import { minuteMs } from '../../shared/core/time';
import { billingKey, workspaceKey } from '../../shared/db/keys';
import { toTransactItem } from '../../shared/db/steps';
import { suppressAddress } from '../../shared/email/suppression';
import {
  type InvitationItem,
  invitationAddressRecord,
  invitationRecord,
  invitationValidityMs,
  newInvitationToken,
  tokenRecord,
} from '../../shared/features/invitations/items';

import { joinSteps } from '../../shared/features/members/steps';
import type { TestApi, TestUser } from './api';
import { addNumber, grant } from './numbers';
import { submitPort } from './porting';

/**
 * Writes a member straight into the table (no invitation), with the same
 * steps every way in writes: the member, the membership pointer, the address
 * item and the workspace's counters, in one transaction.
 */
export async function seedMember(
  api: TestApi,
  workspaceId: string,
  user: TestUser,
  role: Role,
): Promise<void> {
  const member: MemberItem = {
    workspaceId,
    userId: user.userId,
    email: user.email.toLowerCase(),
    name: user.name,
    role,
    numberAccess: {},
    lastActiveAt: null,
    joinedAt: new Date().toISOString(),
  };
  await api.documents.send(
    new TransactWriteCommand({
      TransactItems: joinSteps(member).map((step) => toTransactItem(step, api.tableName)),
    }),
  );
  // Unbilled, but counted: a workspace already billed holds the seat (its billing item is the seats' truth).
  await api.documents
    .send(
      new UpdateCommand({
        TableName: api.tableName,
        Key: billingKey(workspaceId),
        UpdateExpression: 'ADD seats :one, revision :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
}

export interface Team {
  workspaceId: string;
  owner: TestUser;
  admin: TestUser;
  member: TestUser;
  outsider: TestUser;
  /** A pending invitation the member sent, when asked for. */
  invitationId?: string;
  /** An address on the workspace's suppressed addresses, when asked for. */
  suppressedEmail?: string;
  /** A domain the workspace claimed (pending), when asked for. */
  domain?: string;
  /** A number the owner added, shared with the member, when asked for. */
  phoneNumberId?: string;
  /** A porting request the owner submitted, when asked for. */
  portingRequestId?: string;
  /** The telephony side's stand-in token, for the internal routes (createTeam sets it). */
  serviceToken?: string;
}

/** The token a route takes in a team's tests: the service's for internal routes, else the owner's. */
export const tokenFor = (route: { access: string }, team: Team) =>
  route.access === 'service' ? (team.serviceToken ?? '') : team.owner.token;

/** An address the workspace suppressed after a hard bounce, written straight into the table. */
async function seedSuppression(api: TestApi, workspaceId: string, email: string): Promise<void> {
  const step = suppressAddress({
    workspaceId,
    email,
    reason: 'bounce',
    at: new Date().toISOString(),
    messageId: newId('EM'),
  });
  await api.documents.send(
    new TransactWriteCommand({ TransactItems: [toTransactItem(step, api.tableName)] }),
  );
}

/** A pending invitation the member sent, written straight into the table (no email). */
async function seedInvitation(api: TestApi, workspaceId: string, sender: TestUser): Promise<string> {
  const now = Date.now();
  const item: InvitationItem = {
    id: newId('IV', now),
    workspaceId,
    workspaceName: 'Acme',
    email: `invited-${newId('IV').slice(-8).toLowerCase()}@example.com`,
    role: 'member',
    phoneAssignment: { mode: 'new' },
    status: 'pending',
    tokenHash: newInvitationToken().tokenHash,
    invitedBy: { userId: sender.userId, name: sender.name },
    createdAt: new Date(now).toISOString(),
    validUntil: new Date(now + invitationValidityMs).toISOString(),
    delivery: {
      status: 'sent',
      reason: null,
      attempts: 1,
      lastAttemptAt: new Date(now - 2 * minuteMs).toISOString(),
      messageId: newId('EM', now),
    },
  };
  await api.documents.send(
    new TransactWriteCommand({
      TransactItems: [invitationRecord(item), tokenRecord(item), invitationAddressRecord(item)].map(
        (Item) => ({
          Put: { TableName: api.tableName, Item },
        }),
      ),
    }),
  );
  return item.id;
}

/**
 * A workspace created over HTTP by its owner, with an admin and a member
 * seeded in (and an invitation and a suppressed address, if asked).
 */
export async function createTeam(
  api: TestApi,
  name = 'Acme',
  options: {
    withInvitation?: boolean;
    withSuppression?: boolean;
    withDomain?: boolean;
    withNumber?: boolean;
    withPortingRequest?: boolean;
  } = {},
): Promise<Team> {
  const owner = await api.user({ name: 'Olivia Owner' });
  const admin = await api.user({ name: 'Adam Admin' });
  const member = await api.user({ name: 'Mia Member' });
  const outsider = await api.user({ name: 'Oscar Outsider' });
  const created = await api.post('/v1/workspaces', owner.token, { name });
  if (created.status !== 201) throw new Error(`workspace not created: ${JSON.stringify(created.body)}`);
  const workspaceId = created.body.data.id as string;
  await seedMember(api, workspaceId, admin, 'admin');
  await seedMember(api, workspaceId, member, 'member');
  const team: Team = {
    workspaceId,
    owner,
    admin,
    member,
    outsider,
    serviceToken: (await api.issuer.signService()).token,
  };
  if (options.withInvitation) team.invitationId = await seedInvitation(api, workspaceId, member);
  if (options.withSuppression) {
    team.suppressedEmail = `bounced-${newId('EM').slice(-8).toLowerCase()}@example.com`;
    await seedSuppression(api, workspaceId, team.suppressedEmail);
  }
  if (options.withDomain) {
    const claimed = await api.post(`/v1/workspaces/${workspaceId}/domains`, owner.token, {
      email: `it@team-${workspaceId.slice(-10).toLowerCase()}.example`,
    });
    if (claimed.status !== 201) throw new Error(`domain not claimed: ${JSON.stringify(claimed.body)}`);
    team.domain = claimed.body.data.domain as string;
  }
  if (options.withNumber) {
    team.phoneNumberId = await addNumber(api, workspaceId, owner);
    await grant(api, workspaceId, team.phoneNumberId, owner, member, 'shared');
  }
  if (options.withPortingRequest)
    team.portingRequestId = (await submitPort(api, workspaceId, owner)).request.id;
  return team;
}

/** Sets a workspace's status straight in the table: suspension has no route; a cancellation set here leaves billing as it was. */
export async function setWorkspaceStatus(
  api: TestApi,
  workspaceId: string,
  status: WorkspaceStatus,
): Promise<void> {
  await api.documents.send(
    new UpdateCommand({
      TableName: api.tableName,
      Key: workspaceKey(workspaceId),
      UpdateExpression: 'SET #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    }),
  );
}
