import { suppressionPrefix, workspacePartition } from '../../db/keys';
import { listPage, type Page, type PageParams } from '../../db/query';
import type { SuppressionItem } from '../../email/suppression';
import { type SuppressedAddress, toSuppressedAddress } from './items';

/** The workspace's suppressed addresses, in address order. */
export async function listSuppressedAddresses(
  workspaceId: string,
  page: PageParams,
): Promise<Page<SuppressedAddress>> {
  const result = await listPage<SuppressionItem>(
    { partition: workspacePartition(workspaceId), sortKeyPrefix: suppressionPrefix },
    {},
    { list: 'suppressed-addresses', scope: workspaceId, ...page },
  );
  return { items: result.items.map(toSuppressedAddress), nextCursor: result.nextCursor };
}
