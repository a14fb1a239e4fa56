import type { MemberItem } from '../../access/tenancy';
import { invitationPrefix, workspacePartition } from '../../db/keys';
import { type FilterPart, listPage, type Page, type PageParams } from '../../db/query';
import { type Invitation, type InvitationItem, type InvitationStatus, toInvitation } from './items';

/** Filters of the invitation list; `expired` and `pending` split the stored pending status by date. */
function statusFilter(status: InvitationStatus | undefined, now: Date): FilterPart | undefined {
  const names: Record<string, string> = { '#status': 'status' };
  switch (status) {
    case undefined:
      return undefined;
    case 'pending':
      return {
        expression: '#status = :pending AND validUntil > :now',
        names,
        values: { ':pending': 'pending', ':now': now.toISOString() },
      };
    case 'expired':
      return {
        expression: '#status = :pending AND validUntil <= :now',
        names,
        values: { ':pending': 'pending', ':now': now.toISOString() },
      };
    default:
      return { expression: '#status = :status', names, values: { ':status': status } };
  }
}

/** Newest first. Owners and admins see every invitation; a member sees the ones they sent. */
export async function listInvitations(
  actor: MemberItem,
  filter: { status?: InvitationStatus | undefined },
  page: PageParams,
  now: Date,
): Promise<Page<Invitation>> {
  const byStatus = statusFilter(filter.status, now);
  const filters: FilterPart[] = byStatus ? [byStatus] : [];
  if (actor.role === 'member') {
    filters.push({ expression: 'invitedBy.userId = :me', values: { ':me': actor.userId } });
  }
  const result = await listPage<InvitationItem>(
    { partition: workspacePartition(actor.workspaceId), sortKeyPrefix: invitationPrefix },
    { order: 'descending', filters },
    {
      list: 'invitations',
      scope: `${actor.workspaceId}#${actor.userId}?status=${filter.status ?? ''}`,
      ...page,
    },
  );
  return { items: result.items.map((item) => toInvitation(item, now)), nextCursor: result.nextCursor };
}
