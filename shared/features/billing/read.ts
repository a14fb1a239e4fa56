import type { WorkspaceItem } from '../../access/tenancy';
import { ledgerLinePrefix, workspacePartition } from '../../db/keys';
import { listPage, type Page, type PageParams } from '../../db/query';
import { billingOf } from './account';
import { type LedgerLineItem, toBilling, toLedgerLine } from './items';

export async function getBilling(workspace: WorkspaceItem, now: Date) {
  return toBilling(workspace, (await billingOf(workspace, now)).item);
}

/** The ledger, newest first: one Query of the workspace partition's lines. */
export async function listLedger(
  workspaceId: string,
  page: PageParams,
): Promise<Page<ReturnType<typeof toLedgerLine>>> {
  const result = await listPage<LedgerLineItem>(
    { partition: workspacePartition(workspaceId), sortKeyPrefix: ledgerLinePrefix },
    { order: 'descending' },
    { list: 'ledger', scope: workspaceId, ...page },
  );
  return { items: result.items.map((line) => toLedgerLine(line)), nextCursor: result.nextCursor };
}
