import type { NumberAccessItem } from '../../access/numbers';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { batchGetConsistent, itemAt } from '../../db/batch';
import { e164Key, memberKey, phoneNumberKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { billedTransact } from '../billing/account';
import { actorAuthority } from './authority';
import { setHeldNumbers } from './held';
import { holdersInOrder, numberTarget, type PhoneNumberItem } from './items';

/** Room left in one transaction (100 items) beside the release's own steps. */
const holdersPerTransaction = 85;

/**
 * Releases a number: its item, its place in the table-wide number registry
 * and every holder's line, with the audit event. A number's holders (100 at
 * most, the plan's cap) fit in one transaction up to 85; past that the rest
 * are cleared in a second one before the answer.
 */
export async function releaseNumber(
  actor: MemberItem,
  numberRead: NumberAccessItem,
  context: RequestContext,
) {
  const number = numberRead as PhoneNumberItem;
  const entries = holdersInOrder(number).map(([userId]) => userId);
  // Lines to clear: the holders still members (an entry an interrupted removal left has no line).
  const found = await batchGetConsistent(entries.map((userId) => memberKey(number.workspaceId, userId)));
  const holders = entries.flatMap((userId) => {
    const member = itemAt(found, memberKey(number.workspaceId, userId)) as MemberItem | undefined;
    return member ? [member] : [];
  });
  const [first, rest] = [holders.slice(0, holdersPerTransaction), holders.slice(holdersPerTransaction)];
  const authority = actorAuthority(actor, {
    writesActor: first.some((holder) => holder.userId === actor.userId),
  });
  const clearLine = (holder: MemberItem) =>
    setHeldNumbers(
      holder,
      { [number.id]: null },
      holder.userId === actor.userId ? authority.ownRole : undefined,
    );
  await billedTransact(number.workspaceId, { numbers: -1 }, numberTarget(number), context, [
    {
      delete: {
        Key: phoneNumberKey(number.workspaceId, number.id),
        // Unchanged since read (every entry change moves updatedAt): no line is left behind.
        ConditionExpression: 'updatedAt = :read',
        ExpressionAttributeValues: { ':read': number.updatedAt },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) => new AppError(current ? 'CONCURRENT_UPDATE' : 'NUMBER_NOT_FOUND'),
    },
    { delete: { Key: e164Key(number.number) } },
    ...authority.steps,
    ...first.map(clearLine),
    auditStep({
      ...context,
      workspaceId: number.workspaceId,
      action: 'phoneNumber.removed',
      target: numberTarget(number),
      before: {
        number: number.number,
        name: number.name,
        members: holdersInOrder(number).map(([userId, holder]) => ({ userId, access: holder.access })),
      },
      after: null,
    }),
  ]);
  if (rest.length > 0) await transact(rest.map(clearLine));
}
