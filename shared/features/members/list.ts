import type { Role } from '../../access/roles';
import type { MemberItem } from '../../access/tenancy';
import { memberListPartition, memberRolePartition } from '../../db/keys';
import { type Page, type PageParams, queryPage } from '../../db/query';
import { gsi1, gsi2 } from '../../db/table';
import { type Member, toMember } from './items';

/** Members sorted by name then user id; with `role`, that role's own index partition. */
export async function listMembers(
  workspaceId: string,
  filter: { role?: Role | undefined },
  page: PageParams,
): Promise<Page<Member>> {
  const result = await queryPage<MemberItem>(
    filter.role
      ? {
          IndexName: gsi2,
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': memberRolePartition(workspaceId, filter.role) },
        }
      : {
          IndexName: gsi1,
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': memberListPartition(workspaceId) },
        },
    // A cursor is only valid with the filter it was made under.
    filter.role
      ? { list: 'members-by-role', scope: `${workspaceId}#${filter.role}`, ...page }
      : { list: 'members', scope: workspaceId, ...page },
  );
  return { items: result.items.map(toMember), nextCursor: result.nextCursor };
}
