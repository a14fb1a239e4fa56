import { AppError } from '../../core/errors';
import { e164Key, memberKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { claimRegistry } from '../numbers/registry';
import type { PortingRequestItem } from './items';

/**
 * The number's place across the whole table, taken by an open request: the
 * same item a workspace's number holds, so one write's condition refuses a
 * second open request anywhere (PORT_IN_PROGRESS) and a number some
 * workspace has (NUMBER_TAKEN).
 */
export const claimForPort = (
  item: Pick<PortingRequestItem, 'workspaceId' | 'id' | 'phoneNumber'>,
): TransactStep =>
  claimRegistry(item.phoneNumber, { workspaceId: item.workspaceId, portingRequestId: item.id });

/** The request gives its number's place back (cancelled, or corrected to another number). */
export const releasePortClaim = (item: Pick<PortingRequestItem, 'id' | 'phoneNumber'>): TransactStep => ({
  delete: {
    Key: e164Key(item.phoneNumber),
    ConditionExpression: 'portingRequestId = :request',
    ExpressionAttributeValues: { ':request': item.id },
  },
  onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
});

/** `assignTo` names a member of the workspace now (checked again, and used, at completion). */
export const assigneeIsMember = (workspaceId: string, userId: string): TransactStep => ({
  check: { Key: memberKey(workspaceId, userId), ConditionExpression: 'attribute_exists(PK)' },
  onConditionFailed: () =>
    new AppError('MEMBER_NOT_FOUND', 'assignTo is not a member of this workspace.', {
      fieldErrors: [{ path: 'assignTo', message: 'Name a member of this workspace (their user id).' }],
    }),
});
