import type { WorkspaceItem } from '../../access/tenancy';
import type { Caller } from '../../core/context';
import { AppError } from '../../core/errors';
import { batchGetConsistent, getConsistent, itemAt } from '../../db/batch';
import { invitationKey, invitationTokenKey, inviteePartition, workspaceKey } from '../../db/keys';
import { listPage, type Page, type PageParams } from '../../db/query';
import { gsi1 } from '../../db/table';
import { hashToken, type InvitationItem, type InvitationStatus, maskEmail, statusOf } from './items';

/** How the caller points at an invitation: the link's token, or its id from their own list. */
export type InvitationReference = { token: string } | { workspaceId: string; invitationId: string };

// Unknown, revoked and replaced links all answer alike: the API is no token oracle.
export const invitationNotFound = () => new AppError('INVITATION_NOT_FOUND');

/** An invitation with its workspace as it is now, read together. */
export interface FoundInvitation {
  item: InvitationItem;
  workspace: WorkspaceItem | undefined;
}

async function withWorkspace(
  workspaceId: string,
  invitationId: string,
): Promise<FoundInvitation | undefined> {
  const found = await batchGetConsistent([
    invitationKey(workspaceId, invitationId),
    workspaceKey(workspaceId),
  ]);
  const item = itemAt(found, invitationKey(workspaceId, invitationId)) as InvitationItem | undefined;
  return item
    ? { item, workspace: itemAt(found, workspaceKey(workspaceId)) as WorkspaceItem | undefined }
    : undefined;
}

/** The invitation a link's token belongs to, while that link is its current one. */
export async function findByToken(token: string): Promise<FoundInvitation> {
  const tokenHash = hashToken(token);
  const pointer = await getConsistent(invitationTokenKey(tokenHash));
  if (!pointer) throw invitationNotFound();
  const found = await withWorkspace(String(pointer.workspaceId), String(pointer.invitationId));
  if (!found || found.item.tokenHash !== tokenHash || found.item.status === 'revoked')
    throw invitationNotFound();
  return found;
}

/** By id, only the invited person finds it: to anyone else it does not exist. */
export async function findForInvitee(
  reference: { workspaceId: string; invitationId: string },
  caller: Caller,
): Promise<FoundInvitation> {
  const found = await withWorkspace(reference.workspaceId, reference.invitationId);
  const item = found?.item;
  if (!found || !item || item.status === 'revoked' || !caller.emailVerified || item.email !== caller.email) {
    throw invitationNotFound();
  }
  return found;
}

/** What the link's landing page shows, without signing in: the workspace as the email named it. */
export async function previewInvitation(token: string, now: Date) {
  const { item } = await findByToken(token);
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

/** The caller's pending invitations, across workspaces, newest first, each with its workspace's current name. */
export async function listMyInvitations(caller: Caller, page: PageParams, now: Date) {
  if (!caller.emailVerified || !caller.email) {
    throw new AppError(
      'EMAIL_NOT_VERIFIED',
      'Verify your email address with your sign-in provider to see the invitations sent to it.',
    );
  }
  const result: Page<InvitationItem> = await listPage<InvitationItem>(
    { index: gsi1, partition: inviteePartition(caller.email) },
    {
      order: 'descending',
      filters: [{ expression: 'validUntil > :now', values: { ':now': now.toISOString() } }],
    },
    { list: 'my-invitations', scope: caller.userId, ...page },
  );
  const workspaceIds = [...new Set(result.items.map((item) => item.workspaceId))];
  const workspaces = workspaceIds.length ? await batchGetConsistent(workspaceIds.map(workspaceKey)) : [];
  const nameOf = (item: InvitationItem) =>
    (itemAt(workspaces, workspaceKey(item.workspaceId)) as WorkspaceItem | undefined)?.name ??
    item.workspaceName;
  return {
    items: result.items.map((item) => ({
      id: item.id,
      workspace: { id: item.workspaceId, name: nameOf(item) },
      invitedBy: { name: item.invitedBy.name },
      role: item.role,
      expiresAt: item.validUntil,
    })),
    nextCursor: result.nextCursor,
  };
}
