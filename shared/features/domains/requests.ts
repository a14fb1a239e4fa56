import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { getConsistent } from '../../db/batch';
import {
  joinRequestKey,
  joinRequestPartition,
  joinRequestStatusPartition,
  myJoinRequestPartition,
} from '../../db/keys';
import { listAll, listPage, type Page, type PageParams } from '../../db/query';
import type { TransactStep } from '../../db/steps';
import { gsi1, gsi2, gsi3 } from '../../db/table';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import {
  type JoinRequest,
  type JoinRequestItem,
  type JoinRequestStatus,
  joinRequestTarget,
  toJoinRequest,
} from './items';

export async function getJoinRequest(workspaceId: string, userId: string): Promise<JoinRequestItem> {
  const item = await getConsistent<JoinRequestItem>(joinRequestKey(workspaceId, userId));
  if (!item) throw new AppError('JOIN_REQUEST_NOT_FOUND');
  return item;
}

/** A workspace's join requests, newest first, all or of one status. */
export async function listJoinRequests(
  workspaceId: string,
  status: JoinRequestStatus | undefined,
  page: PageParams,
): Promise<Page<JoinRequest>> {
  const result = await listPage<JoinRequestItem>(
    status
      ? { index: gsi2, partition: joinRequestStatusPartition(workspaceId, status) }
      : { index: gsi1, partition: joinRequestPartition(workspaceId) },
    { order: 'descending' },
    { list: `join-requests:${status ?? 'all'}`, scope: workspaceId, ...page },
  );
  return { items: result.items.map(toJoinRequest), nextCursor: result.nextCursor };
}

/** The caller's own join requests, across workspaces, newest first. */
export async function listMyJoinRequests(userId: string, page: PageParams): Promise<Page<JoinRequest>> {
  const result = await listPage<JoinRequestItem>(
    { index: gsi3, partition: myJoinRequestPartition(userId) },
    { order: 'descending' },
    { list: 'my-join-requests', scope: userId, ...page },
  );
  return { items: result.items.map(toJoinRequest), nextCursor: result.nextCursor };
}

/** The step that decides a pending request (and moves it to its status's list), with its audit event. */
export function decideRequest(
  item: JoinRequestItem,
  status: 'approved' | 'declined',
  context: RequestContext,
  options: { by?: null } = {},
): { steps: TransactStep[]; decided: JoinRequestItem } {
  const at = context.now.toISOString();
  const decidedBy = options.by === null ? undefined : { userId: context.caller.userId };
  const decided: JoinRequestItem = {
    ...item,
    status,
    decidedAt: at,
    ...(decidedBy ? { decidedBy } : {}),
  };
  return {
    decided,
    steps: [
      {
        update: {
          Key: joinRequestKey(item.workspaceId, item.userId),
          UpdateExpression: 'SET #status = :status, decidedAt = :now, decidedBy = :by, GSI2PK = :statusList',
          ConditionExpression: '#status = :pending AND createdAt = :createdAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':now': at,
            ':by': decidedBy ?? null,
            ':statusList': joinRequestStatusPartition(item.workspaceId, status),
            ':pending': 'pending',
            ':createdAt': item.createdAt,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
        onConditionFailed: (current) =>
          new AppError(current ? 'JOIN_REQUEST_NOT_PENDING' : 'JOIN_REQUEST_NOT_FOUND'),
      },
      auditStep({
        ...context,
        workspaceId: item.workspaceId,
        action: status === 'approved' ? 'joinRequest.approved' : 'joinRequest.declined',
        target: joinRequestTarget(item),
        before: { status: 'pending' },
        after: { status, email: item.email, domain: item.domain },
      }),
    ],
  };
}

/** An Owner or Admin says no; the person sees it in their own list. */
export async function declineJoinRequest(
  item: JoinRequestItem,
  context: RequestContext,
): Promise<JoinRequest> {
  if (item.status !== 'pending') throw new AppError('JOIN_REQUEST_NOT_PENDING');
  const { steps, decided } = decideRequest(item, 'declined', context);
  await transact(steps);
  return toJoinRequest(decided);
}

/**
 * Declines the requests still pending through a domain the workspace no
 * longer holds, after the change that ended it committed: the requesters see
 * the answer. While the domain is not this workspace's, approving them fails
 * anyway (the holder is checked); an Owner or Admin can decline what a
 * failure here missed.
 */
async function declinePendingRequests(
  workspaceId: string,
  domain: string,
  context: RequestContext,
): Promise<void> {
  const pending = await listAll<JoinRequestItem>(
    { index: gsi2, partition: joinRequestStatusPartition(workspaceId, 'pending') },
    {
      filters: [
        { expression: '#domain = :domain', names: { '#domain': 'domain' }, values: { ':domain': domain } },
      ],
    },
  );
  for (const item of pending) {
    await transact(decideRequest(item, 'declined', context).steps).catch((error: unknown) => {
      // Decided meanwhile: nothing left to do for this one.
      if (!(error instanceof AppError)) throw error;
    });
  }
}

/** `declinePendingRequests` after a committed change: a failure is logged, never the request's answer. */
export function declineLeftoverRequests(workspaceId: string, domain: string, context: RequestContext) {
  return declinePendingRequests(workspaceId, domain, context).catch((error: unknown) =>
    logger.warn('Could not decline the pending join requests through a domain', {
      workspaceId,
      requestId: context.requestId,
      error: error as Error,
    }),
  );
}

/** The member a request makes: a Member, who picks a number at onboarding. */
export function memberFromRequest(
  item: Pick<JoinRequestItem, 'workspaceId' | 'userId' | 'email' | 'name'>,
  at: string,
): MemberItem {
  return {
    workspaceId: item.workspaceId,
    userId: item.userId,
    email: item.email,
    name: item.name,
    role: 'member',
    numberAccess: {},
    lastActiveAt: null,
    joinedAt: at,
    pendingNumberChoice: true,
  };
}
