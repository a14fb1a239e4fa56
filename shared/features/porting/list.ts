import { AppError } from '../../core/errors';
import { getConsistent } from '../../db/batch';
import {
  portingRequestKey,
  portingRequestPrefix,
  portingStatusPartition,
  workspacePartition,
} from '../../db/keys';
import { listPage, type Page, type PageParams } from '../../db/query';
import { gsi2 } from '../../db/table';
import { type PortingRequest, type PortingRequestItem, type PortingStatus, toPortingRequest } from './items';

export async function getPortingItem(
  workspaceId: string,
  portingRequestId: string,
): Promise<PortingRequestItem> {
  const item = await getConsistent<PortingRequestItem>(portingRequestKey(workspaceId, portingRequestId));
  if (!item) throw new AppError('PORTING_REQUEST_NOT_FOUND');
  return item;
}

/** A workspace's porting requests, newest first: all (one partition, strongly consistent) or one status's (GSI2). */
export async function listPortingRequests(
  workspaceId: string,
  status: PortingStatus | undefined,
  page: PageParams,
): Promise<Page<PortingRequest>> {
  const result = await listPage<PortingRequestItem>(
    status
      ? { index: gsi2, partition: portingStatusPartition(workspaceId, status) }
      : { partition: workspacePartition(workspaceId), sortKeyPrefix: portingRequestPrefix },
    { order: 'descending' },
    { list: `porting-requests:${status ?? 'all'}`, scope: workspaceId, ...page },
  );
  return { items: result.items.map(toPortingRequest), nextCursor: result.nextCursor };
}
