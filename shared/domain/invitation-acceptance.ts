import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '../db/client';
import { addressKey, invitationKey, invitationTokenKey, inviteePartition, membershipKey } from '../db/keys';
import { type Page, type PageParams, queryPage } from '../db/query';
import { gsi1 } from '../db/table-definition';
import { transact } from '../db/transact';
import type { Caller } from '../http/caller';
import { AppError } from '../http/errors';
import { auditStep } from './audit';
import { updateWorkspaceCounts } from './conditions';
import {
  hashToken,
  type InvitationItem,
  type InvitationStatus,
  maskEmail,
  statusOf,
} from './invitation-items';
import { type Member, type MemberItem, memberRecord, toMember } from './items';
import type { ChangeContext } from './workspaces';

/** How the caller points at an invitation: the link's token, or its id from their own list. */
export type InvitationReference = { token: string } | { workspaceId: string; invitationId: string };

// Unknown, revoked and replaced links all answer alike: the API is no token oracle.
const notFound = () => new AppError('INVITATION_NOT_FOUND');

async function getConsistent(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
}

async function findByToken(token: string): Promise<InvitationItem> {
  const tokenHash = hashToken(token);
  const pointer = await getConsistent(invitationTokenKey(tokenHash));
  if (!pointer) throw notFound();
  const item = (await getConsistent(
    invitationKey(String(pointer.workspaceId), String(pointer.invitationId)),
  )) as InvitationItem | undefined;
  if (!item || item.tokenHash !== tokenHash || item.status === 'revoked') throw notFound();
  return item;
}

/** By id, only the invited person finds it: to anyone else it does not exist. */
async function findForInvitee(
  reference: { workspaceId: string; invitationId: string },
  caller: Caller,
): Promise<InvitationItem> {
  const item = (await getConsistent(invitationKey(reference.workspaceId, reference.invitationId))) as
    | InvitationItem
    | undefined;
  if (!item || item.status === 'revoked' || !caller.emailVerified || item.email !== caller.email) {
    throw notFound();
  }
  return item;
}

/** What the link's landing page shows, without signing in. */
export async function previewInvitation(token: string, now: Date) {
  const item = await findByToken(token);
  return {
    workspace: { name: item.workspaceName },
    invitedBy: { name: item.invitedBy.name },
    role: item.role,
    email: maskEmail(item.email),
    // findByToken never returns a revoked invitation.
    status: statusOf(item, now) as Exclude<InvitationStatus, 'revoked'>,
    expiresAt: item.validUntil,
  };
}

function requireAcceptable(item: InvitationItem, caller: Caller, now: Date): void {
  const status = statusOf(item, now);
  // Whoever accepted it (perhaps this person, since removed), a link works once.
  if (status === 'accepted')
    throw new AppError('INVITATION_NOT_PENDING', 'This invitation was already accepted.');
  if (status === 'expired') throw new AppError('INVITATION_EXPIRED');
  const invited = maskEmail(item.email);
  if (item.email !== caller.email) {
    throw new AppError(
      'INVITATION_EMAIL_MISMATCH',
      `This invitation was sent to ${invited}; sign in with that address to accept it.`,
    );
  }
  if (!caller.emailVerified) {
    throw new AppError(
      'EMAIL_NOT_VERIFIED',
      `Verify your email address (${invited}) with your sign-in provider, then accept the invitation.`,
    );
  }
}

/**
 * The invited person joins, in one transaction: the invitation turns accepted
 * only if still pending, unexpired and unchanged; the membership is created
 * only if absent; the member count moves; both audit events are written.
 */
export async function acceptInvitation(
  reference: InvitationReference,
  context: ChangeContext,
): Promise<{ workspace: { id: string; name: string }; member: Member }> {
  const { caller, now } = context;
  const item =
    'token' in reference ? await findByToken(reference.token) : await findForInvitee(reference, caller);
  requireAcceptable(item, caller, now);

  const at = now.toISOString();
  const { workspaceId } = item;
  const assignment = item.phoneAssignment;
  const member: MemberItem = {
    workspaceId,
    userId: caller.userId,
    email: caller.email,
    name: caller.name,
    role: item.role,
    phoneNumbers:
      assignment.mode === 'share'
        ? assignment.numbers.map((number) => ({ ...number, access: assignment.access }))
        : [],
    lastActiveAt: at,
    joinedAt: at,
    ...(assignment.mode === 'new' ? { pendingNumberChoice: true } : {}),
  };

  await transact([
    {
      update: {
        Key: invitationKey(workspaceId, item.id),
        UpdateExpression:
          'SET #status = :accepted, acceptedAt = :now, acceptedBy = :user REMOVE GSI1PK, GSI1SK',
        ConditionExpression: '#status = :pending AND validUntil > :now AND tokenHash = :tokenHash',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':accepted': 'accepted',
          ':pending': 'pending',
          ':now': at,
          ':user': caller.userId,
          ':tokenHash': item.tokenHash,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) => {
        if (!current || current.tokenHash !== item.tokenHash) return notFound();
        if (current.status !== 'pending') return new AppError('INVITATION_NOT_PENDING');
        return new AppError('INVITATION_EXPIRED');
      },
    },
    {
      put: { Item: memberRecord(member), ConditionExpression: 'attribute_not_exists(PK)' },
      onConditionFailed: () => new AppError('ALREADY_MEMBER'),
    },
    { put: { Item: { ...membershipKey(caller.userId, workspaceId), workspaceId } } },
    {
      // The address passes from the invitation to the member.
      put: {
        Item: {
          ...addressKey(workspaceId, item.email),
          workspaceId,
          email: item.email,
          holder: 'member',
          userId: caller.userId,
        },
        ConditionExpression: 'invitationId = :id',
        ExpressionAttributeValues: { ':id': item.id },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) =>
        new AppError(current?.holder === 'member' ? 'ALREADY_MEMBER' : 'CONCURRENT_UPDATE'),
    },
    updateWorkspaceCounts(workspaceId, { members: 1, owners: member.role === 'owner' ? 1 : 0 }),
    auditStep({
      ...context,
      workspaceId,
      action: 'invitation.accepted',
      target: { type: 'invitation', id: item.id },
      before: { status: 'pending' },
      after: { status: 'accepted', userId: caller.userId },
    }),
    auditStep({
      ...context,
      workspaceId,
      action: 'member.joined',
      target: { type: 'member', id: caller.userId },
      before: null,
      after: { role: member.role, invitationId: item.id, invitedBy: item.invitedBy.userId },
    }),
  ]);
  return { workspace: { id: workspaceId, name: item.workspaceName }, member: toMember(member) };
}

/** The caller's pending invitations, across workspaces, newest first; only for a verified address. */
export async function listMyInvitations(caller: Caller, page: PageParams, now: Date) {
  if (!caller.emailVerified || !caller.email) {
    throw new AppError(
      'EMAIL_NOT_VERIFIED',
      'Verify your email address with your sign-in provider to see the invitations sent to it.',
    );
  }
  const result: Page<InvitationItem> = await queryPage<InvitationItem>(
    {
      IndexName: gsi1,
      KeyConditionExpression: 'GSI1PK = :pk',
      FilterExpression: 'validUntil > :now',
      ScanIndexForward: false,
      ExpressionAttributeValues: { ':pk': inviteePartition(caller.email), ':now': now.toISOString() },
    },
    { list: 'my-invitations', scope: caller.userId, ...page },
  );
  return {
    items: result.items.map((item) => ({
      id: item.id,
      workspace: { id: item.workspaceId, name: item.workspaceName },
      invitedBy: { name: item.invitedBy.name },
      role: item.role,
      expiresAt: item.validUntil,
    })),
    nextCursor: result.nextCursor,
  };
}
