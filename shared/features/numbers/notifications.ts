import { workspaceIsActive } from '../../access/guards';
import type { NumberAccessItem } from '../../access/numbers';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { phoneNumberKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { numberTarget, type PhoneNumberItem, toHolder } from './items';

type Notifications = PhoneNumberItem['members'][string]['notifications'];

/** A holder's own notifications for one number; nobody else changes them. */
export async function setNotifications(
  holder: MemberItem,
  numberRead: NumberAccessItem,
  input: Partial<Notifications>,
  context: RequestContext,
) {
  const number = numberRead as PhoneNumberItem;
  const entry = number.members[holder.userId];
  if (!entry) throw new AppError('NUMBER_HOLDER_REQUIRED');
  const notifications: Notifications = {
    calls: input.calls ?? entry.notifications.calls,
    messages: input.messages ?? entry.notifications.messages,
    voicemail: input.voicemail ?? entry.notifications.voicemail,
  };
  await transact([
    {
      update: {
        Key: phoneNumberKey(number.workspaceId, number.id),
        UpdateExpression: 'SET members.#me.notifications = :notifications',
        // Still this holder's entry (not revoked, nor revoked and granted again).
        ConditionExpression: 'members.#me.since = :since',
        ExpressionAttributeNames: { '#me': holder.userId },
        ExpressionAttributeValues: { ':notifications': notifications, ':since': entry.since },
      },
      onConditionFailed: () => new AppError('NUMBER_HOLDER_REQUIRED'),
    },
    workspaceIsActive(number.workspaceId),
    auditStep({
      ...context,
      workspaceId: number.workspaceId,
      action: 'phoneNumber.notificationsChanged',
      target: numberTarget(number),
      before: { userId: holder.userId, notifications: entry.notifications },
      after: { userId: holder.userId, notifications },
    }),
  ]);
  return toHolder(holder.userId, { ...entry, notifications });
}
