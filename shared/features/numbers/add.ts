import { actorStillHasRole, workspaceIsActive } from '../../access/guards';
import { holds, permissionDenied } from '../../access/permissions';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { idempotent } from '../../db/idempotency';
import { memberKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { auditStep } from '../audit/events';
import { billedTransact } from '../billing/account';
import {
  newNumberItem,
  numberRecord,
  numberTarget,
  type PhoneNumber,
  type PhoneNumberItem,
  toPhoneNumber,
} from './items';
import { parseNumber } from './phone';
import { claimRegistry } from './registry';

export interface AddNumberInput {
  number: string;
  name?: string | undefined;
  callerIdName?: string | null | undefined;
  idempotencyKey: string | undefined;
}

/**
 * The member invited with "assign a new number" picks theirs, once: they
 * become its exclusive holder and number owner, and the flag clears in the
 * same write (a second pick finds it cleared).
 */
function pickedBy(member: MemberItem, item: PhoneNumberItem): TransactStep {
  return {
    update: {
      Key: memberKey(member.workspaceId, member.userId),
      UpdateExpression:
        member.numberAccess === undefined
          ? 'SET numberAccess = :map REMOVE pendingNumberChoice'
          : 'SET numberAccess.#number = :held REMOVE pendingNumberChoice',
      ConditionExpression: 'pendingNumberChoice = :pending AND joinedAt = :joinedAt',
      ...(member.numberAccess === undefined ? {} : { ExpressionAttributeNames: { '#number': item.id } }),
      ExpressionAttributeValues: {
        ':pending': true,
        ':joinedAt': member.joinedAt,
        ...(member.numberAccess === undefined
          ? { ':map': { [item.id]: { number: item.number, access: 'exclusive' } } }
          : { ':held': { number: item.number, access: 'exclusive' } }),
      },
    },
    onConditionFailed: () => permissionDenied('numbers.add'),
  };
}

/**
 * Adds a number to the workspace (`numbers.add`), or the onboarding pick of
 * a member with `pendingNumberChoice` (whatever their role: it is theirs).
 */
export function addNumber(
  actor: MemberItem,
  input: AddNumberInput,
  context: RequestContext,
): Promise<PhoneNumber> {
  const parsed = parseNumber(input.number, 'number');
  const picking = actor.pendingNumberChoice === true;
  return idempotent<PhoneNumber>(
    {
      scope: `addPhoneNumber#${actor.workspaceId}#${actor.userId}`,
      key: input.idempotencyKey,
      request: { ...input, idempotencyKey: undefined },
      now: context.now,
    },
    async (record) => {
      // Inside: a replay of the same request answers as the first did, even once the pick is made.
      if (!picking && !holds(actor.role, 'numbers.add', undefined)) throw permissionDenied('numbers.add');
      const item = newNumberItem({
        workspaceId: actor.workspaceId,
        parsed,
        name: input.name,
        callerIdName: input.callerIdName,
        holder: picking ? actor : undefined,
        createdBy: actor.userId,
        now: context.now,
      });
      const response = toPhoneNumber(item);
      const recordStep = record(response);
      // The number is billed (when it is extra) in its own transaction.
      await billedTransact(actor.workspaceId, { numbers: 1 }, numberTarget(item), context, [
        // First: a replay fails here, before the number's own conditions, and answers the first response.
        ...(recordStep ? [recordStep] : []),
        { put: { Item: numberRecord(item), ConditionExpression: 'attribute_not_exists(PK)' } },
        claimRegistry(item.number, { workspaceId: item.workspaceId, phoneNumberId: item.id }),
        workspaceIsActive(actor.workspaceId),
        picking ? pickedBy(actor, item) : actorStillHasRole(actor),
        auditStep({
          ...context,
          workspaceId: actor.workspaceId,
          action: 'phoneNumber.added',
          target: numberTarget(item),
          before: null,
          after: {
            number: item.number,
            name: item.name,
            callerIdName: item.callerIdName,
            ...(picking ? { pickedBy: actor.userId, access: 'exclusive', numberOwner: true } : {}),
          },
        }),
      ]);
      return response;
    },
  );
}
