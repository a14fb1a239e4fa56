import { auditEventKey, auditEventPrefix, workspacePartition } from '../db/keys';
import { type FilterPart, newestInWorkspace, type Page, type PageParams } from '../db/query';
import type { TransactStep } from '../db/transact';
import type { Caller } from '../http/caller';
import { newId } from '../ids';

export type AuditAction =
  | 'workspace.created'
  | 'workspace.updated'
  | 'member.joined'
  | 'member.roleChanged'
  | 'member.removed'
  | 'member.left'
  | 'ownership.transferred'
  | 'invitation.created'
  | 'invitation.resent'
  | 'invitation.revoked'
  | 'invitation.accepted';

export interface AuditEvent {
  id: string;
  at: string;
  actor: { userId: string; email: string };
  action: AuditAction;
  target: { type: string; id: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string;
}

export interface AuditInput {
  workspaceId: string;
  caller: Caller;
  action: AuditAction;
  target: { type: 'workspace' | 'member' | 'invitation'; id: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string;
  now: Date;
}

/**
 * The audit event of a change, as a step of the change's own transaction:
 * the log cannot disagree with the state. The condition keeps it append-only.
 */
export function auditStep(input: AuditInput): TransactStep {
  const id = newId('EV', input.now.getTime());
  const event: AuditEvent = {
    id,
    at: input.now.toISOString(),
    actor: { userId: input.caller.userId, email: input.caller.email },
    action: input.action,
    target: input.target,
    before: input.before,
    after: input.after,
    requestId: input.requestId,
  };
  return {
    put: {
      Item: { ...auditEventKey(input.workspaceId, id), ...event },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export const toAuditEvent = (item: AuditEvent): AuditEvent => ({
  id: item.id,
  at: item.at,
  actor: item.actor,
  action: item.action,
  target: item.target,
  before: item.before,
  after: item.after,
  requestId: item.requestId,
});

export async function listAuditEvents(
  workspaceId: string,
  filters: { action?: string | undefined; actor?: string | undefined },
  page: PageParams,
): Promise<Page<AuditEvent>> {
  const byFilters: FilterPart[] = [];
  if (filters.action) {
    byFilters.push({
      expression: '#action = :action',
      names: { '#action': 'action' },
      values: { ':action': filters.action },
    });
  }
  if (filters.actor)
    byFilters.push({ expression: 'actor.userId = :actor', values: { ':actor': filters.actor } });
  const result = await newestInWorkspace<AuditEvent>(
    workspacePartition(workspaceId),
    auditEventPrefix,
    byFilters,
    {
      list: 'audit-events',
      // A cursor is only valid with the filters it was made under.
      scope: `${workspaceId}?action=${filters.action ?? ''}&actor=${filters.actor ?? ''}`,
      ...page,
    },
  );
  return { items: result.items.map(toAuditEvent), nextCursor: result.nextCursor };
}
