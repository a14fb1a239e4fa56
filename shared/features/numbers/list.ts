import { holds } from '../../access/permissions';
import type { MemberItem } from '../../access/tenancy';
import { AppError } from '../../core/errors';
import { batchGetConsistent, getConsistent } from '../../db/batch';
import { decodeCursor, encodeCursor } from '../../db/cursor';
import { memberKey, phoneNumberKey, phoneNumberPrefix, workspacePartition } from '../../db/keys';
import { listPage, type Page, type PageParams } from '../../db/query';
import { type PhoneNumber, type PhoneNumberItem, toPhoneNumber } from './items';

/**
 * One page of the numbers a member holds: their `numberAccess` names them,
 * one BatchGetItem reads the page (ids sort by creation, so pages are stable).
 */
async function heldPage(member: MemberItem, page: PageParams): Promise<Page<PhoneNumber>> {
  const list = 'held-numbers';
  const scope = `${member.workspaceId}#${member.userId}`;
  const after = page.after ? String(decodeCursor(page.after, list, scope).id) : '';
  const ids = Object.keys(member.numberAccess ?? {})
    .filter((id) => id > after)
    .sort();
  const pageIds = ids.slice(0, page.limit);
  const found = await batchGetConsistent(pageIds.map((id) => phoneNumberKey(member.workspaceId, id)));
  const items = (found as unknown as PhoneNumberItem[])
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(toPhoneNumber);
  const last = pageIds.at(-1);
  return {
    items,
    nextCursor: ids.length > page.limit && last ? encodeCursor(list, scope, { id: last }) : null,
  };
}

/**
 * The numbers a caller may list: Owners and Admins every number of the
 * workspace (one Query), or one member's (`userId`); anyone else the numbers
 * they hold, and only theirs.
 */
export async function listNumbers(
  caller: MemberItem,
  userId: string | undefined,
  page: PageParams,
): Promise<Page<PhoneNumber>> {
  const managesAll = holds(caller.role, 'numbers.updateSettings', undefined);
  if (userId === undefined || userId === caller.userId) {
    if (!managesAll || userId === caller.userId) return heldPage(caller, page);
  } else if (!managesAll) {
    throw new AppError('ROLE_FORBIDDEN', 'You can list only the numbers you hold (userId must be yours).');
  }
  if (userId !== undefined) {
    const member = await getConsistent<MemberItem>(memberKey(caller.workspaceId, userId));
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    return heldPage(member, page);
  }
  const result = await listPage<PhoneNumberItem>(
    { partition: workspacePartition(caller.workspaceId), sortKeyPrefix: phoneNumberPrefix },
    {},
    { list: 'phone-numbers', scope: caller.workspaceId, ...page },
  );
  return { items: result.items.map(toPhoneNumber), nextCursor: result.nextCursor };
}
