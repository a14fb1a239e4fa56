import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HeldNumber, MemberItem } from '../../access/tenancy';
import { mapWithConcurrency } from '../../core/concurrency';
import { AppError } from '../../core/errors';
import { dynamo, tableName } from '../../db/client';
import { memberKey, phoneNumberKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';

/**
 * The condition that the member is still the membership a change was decided
 * on (not removed, nor removed and back), plus any the caller adds.
 */
export interface MemberCondition {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

const sameMembership = (member: MemberItem, extra?: MemberCondition) => ({
  ConditionExpression: `joinedAt = :joinedAt${extra ? ` AND ${extra.expression}` : ''}`,
  names: extra?.names ?? {},
  values: { ':joinedAt': member.joinedAt, ...extra?.values },
});

/**
 * Sets or clears numbers in a member's `numberAccess` (null clears), in the
 * transaction of the numbers' own entries, so the member list never
 * disagrees with the numbers. `also` folds another condition on the member
 * item into this step (the actor's role, when the actor is this member).
 */
export function setHeldNumbers(
  member: MemberItem,
  held: Record<string, HeldNumber | null>,
  also?: MemberCondition,
): TransactStep {
  const condition = sameMembership(member, also);
  const onConditionFailed = (current: Record<string, unknown> | undefined) =>
    new AppError(current ? 'CONCURRENT_UPDATE' : 'MEMBER_NOT_FOUND');
  const key = memberKey(member.workspaceId, member.userId);
  const names: Record<string, string> = { ...condition.names };
  const values: Record<string, unknown> = { ...condition.values };
  // Members written before numbers existed have no map yet: the first number creates it.
  if (member.numberAccess === undefined) {
    values[':map'] = Object.fromEntries(Object.entries(held).filter(([, line]) => line !== null));
    return {
      update: {
        Key: key,
        UpdateExpression: 'SET numberAccess = :map',
        ConditionExpression: `${condition.ConditionExpression} AND attribute_not_exists(numberAccess)`,
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed,
    };
  }
  const sets: string[] = [];
  const removes: string[] = [];
  Object.entries(held).forEach(([phoneNumberId, line], index) => {
    names[`#n${index}`] = phoneNumberId;
    if (line) {
      sets.push(`numberAccess.#n${index} = :n${index}`);
      values[`:n${index}`] = line;
    } else {
      removes.push(`numberAccess.#n${index}`);
    }
  });
  return {
    update: {
      Key: key,
      UpdateExpression: [
        sets.length ? `SET ${sets.join(', ')}` : '',
        removes.length ? `REMOVE ${removes.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ConditionExpression: condition.ConditionExpression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed,
  };
}

/**
 * Copies a member's availability onto each number they hold (routing reads
 * only the number). The member item is the truth; a number whose entry went
 * meanwhile is skipped.
 */
export async function copyAvailability(member: MemberItem, availability: Record<string, unknown> | null) {
  const ids = Object.keys(member.numberAccess ?? {});
  await mapWithConcurrency(ids, 8, async (phoneNumberId) => {
    try {
      await dynamo.send(
        new UpdateCommand({
          TableName: tableName,
          Key: phoneNumberKey(member.workspaceId, phoneNumberId),
          UpdateExpression: 'SET members.#me.availability = :availability',
          ConditionExpression: 'members.#me.since >= :joinedAt',
          ExpressionAttributeNames: { '#me': member.userId },
          ExpressionAttributeValues: { ':availability': availability, ':joinedAt': member.joinedAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  });
}
