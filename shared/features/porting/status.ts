import { AppError } from '../../core/errors';
import { portingRequestKey, portingStatusPartition } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { isOpen, type PortingRequestItem, type PortingStatus } from './items';

/** The request's write failed its condition: closed meanwhile (409 CLOSED), or changed by someone else. */
export const changedMeanwhile = (
  current: Record<string, unknown> | undefined,
  stillFine: (status: PortingStatus) => boolean,
) =>
  new AppError(
    current && !stillFine(current.status as PortingStatus) ? 'PORTING_REQUEST_CLOSED' : 'CONCURRENT_UPDATE',
  );

/**
 * The request's status write (the carrier's reports, the workspace's
 * cancellation), from the status and version it was read in.
 */
export function statusStep(
  item: PortingRequestItem,
  status: Exclude<PortingStatus, 'submitted'>,
  reason: string | null,
  at: string,
  phoneNumberId: string | null = null,
): TransactStep {
  return {
    update: {
      Key: portingRequestKey(item.workspaceId, item.id),
      UpdateExpression:
        'SET #status = :status, reason = :reason, phoneNumberId = :number, updatedAt = :at, GSI2PK = :list',
      ConditionExpression: '#status = :seen AND updatedAt = :seenAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': status,
        ':reason': reason,
        ':number': phoneNumberId,
        ':at': at,
        ':list': portingStatusPartition(item.workspaceId, status),
        ':seen': item.status,
        ':seenAt': item.updatedAt,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed: (current) => changedMeanwhile(current, isOpen),
  };
}
