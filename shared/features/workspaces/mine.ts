import type { Role } from '../../access/roles';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import { batchGetConsistent, itemAt } from '../../db/batch';
import { memberKey, membershipPartition, membershipPrefix, workspaceKey } from '../../db/keys';
import { listAll, listPage, type Page, type PageParams } from '../../db/query';
import { toWorkspace, type Workspace } from './items';

export interface WorkspaceWithRole extends Workspace {
  role: Role;
}

const membershipsOf = (userId: string) => ({
  partition: membershipPartition(userId),
  sortKeyPrefix: membershipPrefix,
});

/** The caller's workspaces, one page at a time, each with the caller's role. */
export async function listMyWorkspaces(userId: string, page: PageParams): Promise<Page<WorkspaceWithRole>> {
  const memberships = await listPage<{ workspaceId: string }>(
    membershipsOf(userId),
    {},
    {
      list: 'my-workspaces',
      scope: userId,
      ...page,
    },
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
  const memberships = await listAll<{ workspaceId: string }>(membershipsOf(userId));
  return withRoles(
    userId,
    memberships.map((item) => item.workspaceId),
  );
}

async function withRoles(userId: string, workspaceIds: string[]): Promise<WorkspaceWithRole[]> {
  if (workspaceIds.length === 0) return [];
  const found = await batchGetConsistent(
    workspaceIds.flatMap((id) => [workspaceKey(id), memberKey(id, userId)]),
  );
  // A membership pointer whose member item is gone (a removal in flight) is skipped.
  return workspaceIds.flatMap((id) => {
    const workspace = itemAt(found, workspaceKey(id)) as WorkspaceItem | undefined;
    const member = itemAt(found, memberKey(id, userId)) as MemberItem | undefined;
    return workspace && member ? [{ ...toWorkspace(workspace), role: member.role }] : [];
  });
}
