import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '../db/client';
import { memberKey, membershipKey, membershipPartition, membershipPrefix, workspaceKey } from '../db/keys';
import { type Page, type PageParams, queryPage } from '../db/query';
import { transact } from '../db/transact';
import type { Caller } from '../http/caller';
import { AppError } from '../http/errors';
import { newId } from '../ids';
import { batchGetConsistent } from './access';
import { auditStep } from './audit';
import { actorStillHasRole } from './conditions';
import { idempotent } from './idempotency';
import {
  type MemberItem,
  memberAddressRecord,
  memberRecord,
  type Plan,
  toWorkspace,
  type Workspace,
  type WorkspaceItem,
} from './items';
import { defaultSettings, type Role, type WorkspaceSettings } from './roles';

export interface ChangeContext {
  caller: Caller;
  requestId: string;
  now: Date;
}

/** Creates a workspace together with its first owner, atomically. */
export function createWorkspace(
  input: { name: string; plan?: Plan | undefined; idempotencyKey: string | undefined },
  context: ChangeContext,
): Promise<Workspace> {
  const { caller, now } = context;
  return idempotent<Workspace>(
    { scope: `createWorkspace#${caller.userId}`, key: input.idempotencyKey, request: input, now },
    async (record) => {
      const at = now.toISOString();
      const workspace: WorkspaceItem = {
        id: newId('WS', now.getTime()),
        name: input.name,
        status: 'active',
        plan: input.plan ?? 'starter',
        settings: defaultSettings,
        memberCount: 1,
        ownerCount: 1,
        createdAt: at,
        updatedAt: at,
      };
      const owner: MemberItem = {
        workspaceId: workspace.id,
        userId: caller.userId,
        email: caller.email,
        name: caller.name,
        role: 'owner',
        phoneNumbers: [],
        lastActiveAt: at,
        joinedAt: at,
      };
      const response = toWorkspace(workspace);
      const recordStep = record(response);
      await transact([
        {
          put: {
            Item: { ...workspaceKey(workspace.id), ...workspace },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        { put: { Item: memberRecord(owner), ConditionExpression: 'attribute_not_exists(PK)' } },
        { put: { Item: { ...membershipKey(caller.userId, workspace.id), workspaceId: workspace.id } } },
        ...(owner.email ? [{ put: { Item: memberAddressRecord(owner) } }] : []),
        auditStep({
          ...context,
          workspaceId: workspace.id,
          action: 'workspace.created',
          target: { type: 'workspace', id: workspace.id },
          before: null,
          after: { name: workspace.name, plan: workspace.plan, owner: caller.userId },
        }),
        ...(recordStep ? [recordStep] : []),
      ]);
      return response;
    },
  );
}

export interface WorkspaceWithRole extends Workspace {
  role: Role;
}

/** The caller's workspaces, one page at a time, each with the caller's role. */
export async function listMyWorkspaces(userId: string, page: PageParams): Promise<Page<WorkspaceWithRole>> {
  const memberships = await queryPage<{ workspaceId: string }>(
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': membershipPartition(userId), ':prefix': membershipPrefix },
    },
    { list: 'my-workspaces', scope: userId, ...page },
  );
  return {
    items: await withRoles(
      userId,
      memberships.items.map((item) => item.workspaceId),
    ),
    nextCursor: memberships.nextCursor,
  };
}

/** Every workspace of a user (a person belongs to few), for the profile. */
export async function allMyWorkspaces(userId: string): Promise<WorkspaceWithRole[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await dynamo.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': membershipPartition(userId), ':prefix': membershipPrefix },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    ids.push(...(result.Items ?? []).map((item) => item.workspaceId as string));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return withRoles(userId, ids);
}

async function withRoles(userId: string, workspaceIds: string[]): Promise<WorkspaceWithRole[]> {
  if (workspaceIds.length === 0) return [];
  const items = await batchGetConsistent(
    workspaceIds.flatMap((id) => [workspaceKey(id), memberKey(id, userId)]),
  );
  const workspaces = new Map<string, WorkspaceItem>();
  const roleOf = new Map<string, Role>();
  for (const item of items) {
    if (item.SK === 'WORKSPACE')
      workspaces.set((item as unknown as WorkspaceItem).id, item as unknown as WorkspaceItem);
    else roleOf.set((item as unknown as MemberItem).workspaceId, (item as unknown as MemberItem).role);
  }
  // A membership pointer whose member item is gone (a removal in flight) is skipped.
  return workspaceIds.flatMap((id) => {
    const workspace = workspaces.get(id);
    const role = roleOf.get(id);
    return workspace && role ? [{ ...toWorkspace(workspace), role }] : [];
  });
}

export interface WorkspaceUpdate {
  name?: string | undefined;
  settings?: Partial<WorkspaceSettings> | undefined;
}

/** Renames a workspace or changes its settings, with before/after in the audit log. */
export async function updateWorkspace(
  workspace: WorkspaceItem,
  actorRole: Role,
  update: WorkspaceUpdate,
  context: ChangeContext,
): Promise<Workspace> {
  const settings = { ...workspace.settings, ...update.settings };
  const changed: WorkspaceItem = {
    ...workspace,
    name: update.name ?? workspace.name,
    settings,
    updatedAt: context.now.toISOString(),
  };
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (changed.name !== workspace.name) {
    before.name = workspace.name;
    after.name = changed.name;
  }
  for (const key of Object.keys(settings) as (keyof WorkspaceSettings)[]) {
    if (settings[key] !== workspace.settings[key]) {
      before[key] = workspace.settings[key];
      after[key] = settings[key];
    }
  }
  if (Object.keys(after).length === 0) return toWorkspace(workspace);
  // Only the changed fields are written, so two admins editing different
  // settings at once do not undo each other.
  // Each changed field must still hold the value read, so the audit's "before" is true.
  const sets = ['updatedAt = :now'];
  const unchanged = ['#status = :active'];
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':now': changed.updatedAt, ':active': 'active' };
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
    actorStillHasRole(workspace.id, context.caller.userId, actorRole),
    auditStep({
      ...context,
      workspaceId: workspace.id,
      action: 'workspace.updated',
      target: { type: 'workspace', id: workspace.id },
      before,
      after,
    }),
  ]);
  return toWorkspace(changed);
}
