import type { WorkspaceItem } from '../../access/tenancy';

export const toWorkspace = (item: WorkspaceItem) => ({
  id: item.id,
  name: item.name,
  status: item.status,
  plan: item.plan,
  settings: item.settings,
  memberCount: item.memberCount,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});

export type Workspace = ReturnType<typeof toWorkspace>;

export const workspaceTarget = (workspace: Pick<WorkspaceItem, 'id'>) => ({
  type: 'workspace',
  id: workspace.id,
});
