import { actorStillHasRole, workspaceIsActive } from '../../access/guards';
import type { NumberAccessItem } from '../../access/numbers';
import type { Role } from '../../access/roles';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { batchGetConsistent, itemAt } from '../../db/batch';
import { e164Key, memberKey, phoneNumberKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { holdersInOrder, numberTarget, type PhoneNumberItem } from './items';

/** A number's line in a holder's `numberAccess` goes (the member must still exist: an update never creates one). */
const clearHeld = (
  workspaceId: string,
  userId: string,
  phoneNumberId: string,
  role?: Role,
): TransactStep => ({
  update: {
    Key: memberKey(workspaceId, userId),
    UpdateExpression: 'REMOVE numberAccess.#number',
    // The actor's own line carries the re-check of their role (one write per item in a transaction).
    ConditionExpression: role ? '#role = :decidedRole' : 'attribute_exists(PK)',
    ExpressionAttributeNames: { '#number': phoneNumberId, ...(role ? { '#role': 'role' } : {}) },
    ...(role ? { ExpressionAttributeValues: { ':decidedRole': role } } : {}),
  },
  onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
});

/** Room left in one transaction (100 items) beside the release's own steps. */
const holdersPerTransaction = 90;

/**
 * Releases a number: its item, its place in the table-wide number registry
 * and every holder's line, with the audit event. A number's holders (100 at
 * most, the plan's cap) fit in one transaction up to 90; past that the rest
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
  const holders = entries.filter((userId) => itemAt(found, memberKey(number.workspaceId, userId)));
  const [first, rest] = [holders.slice(0, holdersPerTransaction), holders.slice(holdersPerTransaction)];
  await transact([
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
    workspaceIsActive(actor.workspaceId),
    ...(first.includes(actor.userId) ? [] : [actorStillHasRole(actor)]),
    ...first.map((userId) =>
      clearHeld(number.workspaceId, userId, number.id, userId === actor.userId ? actor.role : undefined),
    ),
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
  if (rest.length > 0) await transact(rest.map((userId) => clearHeld(number.workspaceId, userId, number.id)));
}
