import {
  auditActionPartition,
  auditActorActionPartition,
  auditActorPartition,
  auditEventPrefix,
  workspacePartition,
} from '../../db/keys';
import { type ListSource, listPage, type Page, type PageParams } from '../../db/query';
import { gsi1, gsi2, gsi3 } from '../../db/table';
import { type AuditEvent, toAuditEvent } from './events';

export interface AuditFilters {
  action?: string | undefined;
  actor?: string | undefined;
}

/** Each filter has its own sparse index partition: a filtered page is one Query, never an emptied one. */
function sourceOf(workspaceId: string, { action, actor }: AuditFilters): ListSource {
  if (action && actor)
    return { index: gsi3, partition: auditActorActionPartition(workspaceId, actor, action) };
  if (action) return { index: gsi1, partition: auditActionPartition(workspaceId, action) };
  if (actor) return { index: gsi2, partition: auditActorPartition(workspaceId, actor) };
  return { partition: workspacePartition(workspaceId), sortKeyPrefix: auditEventPrefix };
}

/** The workspace's audit log, newest first. */
export async function listAuditEvents(
  workspaceId: string,
  filters: AuditFilters,
  page: PageParams,
): Promise<Page<AuditEvent>> {
  const result = await listPage<AuditEvent>(
    sourceOf(workspaceId, filters),
    { order: 'descending' },
    {
      list: 'audit-events',
      // A cursor is only valid with the filters it was made under.
      scope: `${workspaceId}?action=${filters.action ?? ''}&actor=${filters.actor ?? ''}`,
      ...page,
    },
  );
  return { items: result.items.map(toAuditEvent), nextCursor: result.nextCursor };
}
