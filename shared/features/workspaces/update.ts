import { activeCondition, actorStillHasRole, requireActive } from '../../access/guards';
import type { WorkspaceSettings } from '../../access/roles';
import { enforce } from '../../access/rules';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { workspaceKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { toWorkspace, type Workspace, workspaceTarget } from './items';

export interface WorkspaceUpdate {
  name?: string | undefined;
  settings?: Partial<WorkspaceSettings> | undefined;
}

/** The fields that change, with their values before and after (what the audit event records). */
function changesOf(workspace: WorkspaceItem, update: WorkspaceUpdate) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (update.name !== undefined && update.name !== workspace.name) {
    before.name = workspace.name;
    after.name = update.name;
  }
  for (const [key, value] of Object.entries(update.settings ?? {}) as [keyof WorkspaceSettings, boolean][]) {
    if (value !== workspace.settings[key]) {
      before[key] = workspace.settings[key];
      after[key] = value;
    }
  }
  return { before, after };
}

/** An update names something to change: the request itself is wrong otherwise (400, before any permission). */
export function requireSomeChange(update: WorkspaceUpdate): void {
  if (update.name === undefined && Object.keys(update.settings ?? {}).length === 0) {
    throw new AppError('EMPTY_UPDATE', 'Send a new name, settings, or both.');
  }
}

/** Renames a workspace or changes its settings (D2: one of them is an owner's), with before/after in the audit log. */
export async function updateWorkspace(
  workspace: WorkspaceItem,
  actor: MemberItem,
  update: WorkspaceUpdate,
  context: RequestContext,
): Promise<Workspace> {
  enforce({ kind: 'settingsChange', actorRole: actor.role, changes: update.settings ?? {} });
  requireActive(workspace);
  const { before, after } = changesOf(workspace, update);
  if (Object.keys(after).length === 0) return toWorkspace(workspace);
  const updatedAt = context.now.toISOString();
  // Only the changed fields are written, so two admins editing different
  // settings at once do not undo each other; each must still hold the value
  // read, so the audit's "before" is true.
  const sets = ['updatedAt = :now'];
  const unchanged: string[] = [activeCondition.expression];
  const names: Record<string, string> = { ...activeCondition.names };
  const values: Record<string, unknown> = { ...activeCondition.values, ':now': updatedAt };
  for (const [field, value] of Object.entries(after)) {
    const path = field === 'name' ? '#name' : `settings.#${field}`;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    values[`:old_${field}`] = before[field];
    sets.push(`${path} = :${field}`);
    unchanged.push(`${path} = :old_${field}`);
  }
  await transact([
    {
      update: {
        Key: workspaceKey(workspace.id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: unchanged.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) =>
        new AppError(current?.status !== 'active' ? 'WORKSPACE_INACTIVE' : 'CONCURRENT_UPDATE'),
    },
    actorStillHasRole(actor),
    auditStep({
      ...context,
      workspaceId: workspace.id,
      action: 'workspace.updated',
      target: workspaceTarget(workspace),
      before,
      after,
    }),
  ]);
  return toWorkspace({
    ...workspace,
    name: update.name ?? workspace.name,
    settings: { ...workspace.settings, ...update.settings },
    updatedAt,
  });
}
