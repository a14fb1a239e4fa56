import type { Role } from '../../access/roles';
import type { MemberItem } from '../../access/tenancy';
import { memberListPartition, memberRolePartition } from '../../db/keys';
import { listPage, type Page, type PageParams } from '../../db/query';
import { gsi1, gsi2 } from '../../db/table';
import { type Member, toMember } from './items';

/** Members sorted by name then user id; with `role`, that role's own index partition. */
export async function listMembers(
  workspaceId: string,
  filter: { role?: Role | undefined },
  page: PageParams,
): Promise<Page<Member>> {
  const result = await listPage<MemberItem>(
    filter.role
      ? { index: gsi2, partition: memberRolePartition(workspaceId, filter.role) }
      : { index: gsi1, partition: memberListPartition(workspaceId) },
    {},
    // A cursor is only valid with the filter it was made under.
    filter.role
      ? { list: 'members-by-role', scope: `${workspaceId}#${filter.role}`, ...page }
      : { list: 'members', scope: workspaceId, ...page },
  );
  return { items: result.items.map(toMember), nextCursor: result.nextCursor };
}
