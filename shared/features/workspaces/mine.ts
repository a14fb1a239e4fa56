import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../../access/roles';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import { batchGetConsistent, itemAt } from '../../db/batch';
import { dynamo, tableName } from '../../db/client';
import { memberKey, membershipPartition, membershipPrefix, workspaceKey } from '../../db/keys';
import { type Page, type PageParams, queryPage } from '../../db/query';
import { toWorkspace, type Workspace } from './items';

export interface WorkspaceWithRole extends Workspace {
  role: Role;
}

const membershipsOf = (userId: string) => ({
  KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
  ExpressionAttributeValues: { ':pk': membershipPartition(userId), ':prefix': membershipPrefix },
});

/** The caller's workspaces, one page at a time, each with the caller's role. */
export async function listMyWorkspaces(userId: string, page: PageParams): Promise<Page<WorkspaceWithRole>> {
  const memberships = await queryPage<{ workspaceId: string }>(membershipsOf(userId), {
    list: 'my-workspaces',
    scope: userId,
    ...page,
  });
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
        ...membershipsOf(userId),
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
