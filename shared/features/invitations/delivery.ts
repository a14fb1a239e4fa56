import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { invitationKey } from '../../db/keys';
import { oneOf, type TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { type DeliveryState, inFlight } from '../../email/delivery';
import { appUrl } from '../../email/links';
import { newMessageId, queueEmail } from '../../email/outbox';
import { notSuppressed } from '../../email/suppression';
import { addressHeldBy } from '../members/items';
import { invitationEmail } from './email';
import {
  type InvitationItem,
  invitationAddressRecord,
  invitationRecord,
  invitationValidityMs,
  newInvitationToken,
} from './items';
import { cooldownStart, inFlightStart, resendsWithoutCooldown, tooSoonToResend } from './limits';
import { forgetToken, invitationChange, issueToken, unchangedSince } from './records';

/** Thrown by an address's condition when a crashed first attempt of the same request already wrote it. */
export class WrittenByFirstAttempt extends Error {}

/** A delivery that starts now: the email is queued with the change that sends it. */
export const queuedDelivery = (attempts: number, now: Date): DeliveryState => ({
  status: 'queued',
  reason: null,
  attempts,
  lastAttemptAt: now.toISOString(),
  messageId: newMessageId(now),
});

/**
 * The steps that email an invitation's link: the message, queued in the
 * outbox (the mailer sends it), and the address checked against the
 * workspace's suppression list. The token reaches only the email: the
 * outbox keeps the message sealed, the table keeps the token's hash.
 */
export function emailInvitation(item: InvitationItem, token: string, now: Date): TransactStep[] {
  const { messageId } = item.delivery;
  if (!messageId) throw new Error('An invitation is emailed with the delivery that queues it');
  return [
    notSuppressed(item.workspaceId, item.email),
    queueEmail({
      messageId,
      workspaceId: item.workspaceId,
      message: invitationEmail({
        to: item.email,
        workspaceName: item.workspaceName,
        inviterName: item.invitedBy.name,
        role: item.role,
        expiresAt: new Date(item.validUntil),
        link: `${appUrl()}/join?token=${token}`,
        picksNumber: item.phoneAssignment.mode === 'new',
        sharedNumbers:
          item.phoneAssignment.mode === 'share'
            ? {
                numbers: item.phoneAssignment.numbers.map((number) => number.number),
                access: item.phoneAssignment.access,
              }
            : undefined,
        appDownloadUrl: process.env.APP_DOWNLOAD_URL ?? '',
      }),
      source: invitationKey(item.workspaceId, item.id),
      now,
    }),
  ];
}

/** The address now belongs to this pending invitation, unless a member or another live invitation holds it. */
export function claimAddress(
  item: InvitationItem,
  now: Date,
  options: { orHeldByItself?: boolean } = {},
): TransactStep {
  const itself = options.orHeldByItself ? addressHeldBy(item.id) : undefined;
  return {
    put: {
      Item: invitationAddressRecord(item),
      ConditionExpression: `attribute_not_exists(PK) OR (holder = :invitation AND validUntil <= :now)${
        itself ? ` OR ${itself.ConditionExpression}` : ''
      }`,
      ExpressionAttributeValues: {
        ':invitation': 'invitation',
        ':now': now.toISOString(),
        ...itself?.ExpressionAttributeValues,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed: (current) => {
      if (current?.holder === 'member') return new AppError('ALREADY_MEMBER');
      if (current?.invitationId === item.id) return new WrittenByFirstAttempt();
      return new AppError('ALREADY_INVITED');
    },
  };
}

/**
 * The invitation is replaced only if it is still the one read, no email of
 * it is on its way (for less than an hour: past that, it is taken as lost;
 * should it still come, the mailer withdraws it), and its last one is a
 * minute old (or never reached the person): what makes concurrent resends
 * queue one email.
 */
function replaceIfSendable(item: InvitationItem, renewed: InvitationItem, now: Date): TransactStep {
  const unchanged = unchangedSince(item);
  const onItsWay = oneOf('delivery.#status', 'inFlight', inFlight);
  const neverReached = oneOf('delivery.#status', 'free', resendsWithoutCooldown);
  return {
    put: {
      Item: invitationRecord(renewed),
      ConditionExpression: `${unchanged.ConditionExpression} AND NOT (${onItsWay.expression} AND delivery.lastAttemptAt > :inFlightStart) AND (${neverReached.expression} OR delivery.lastAttemptAt <= :cooldownStart)`,
      ExpressionAttributeNames: unchanged.names,
      ExpressionAttributeValues: {
        ...unchanged.values,
        ...onItsWay.values,
        ...neverReached.values,
        ':cooldownStart': cooldownStart(now),
        ':inFlightStart': inFlightStart(now),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed: (current) => {
      const delivery = current?.delivery as DeliveryState | undefined;
      // Another resend (this one's twin, or one just before) queued it moments ago.
      if (current?.status === 'pending' && delivery) return tooSoonToResend(delivery, now);
      return unchanged.onConditionFailed(current);
    },
  };
}

/**
 * A new link for a pending invitation (the old one dies), valid 7 days from
 * now, and the email queued again. The actor's authority is what the
 * invitation stands on from now on.
 */
export async function reissue(
  item: InvitationItem,
  actor: MemberItem,
  workspace: WorkspaceItem,
  context: RequestContext,
): Promise<InvitationItem> {
  const { now } = context;
  const { token, tokenHash } = newInvitationToken();
  const renewed: InvitationItem = {
    ...item,
    workspaceName: workspace.name,
    tokenHash,
    authorizedBy: actor.userId,
    validUntil: new Date(now.getTime() + invitationValidityMs).toISOString(),
    delivery: queuedDelivery(item.delivery.attempts + 1, now),
  };
  await transact([
    // The address may have been taken meanwhile by a member or, once this one expired, another invitation.
    claimAddress(renewed, now, { orHeldByItself: true }),
    replaceIfSendable(item, renewed, now),
    forgetToken(item),
    issueToken(renewed),
    ...emailInvitation(renewed, token, now),
    ...invitationChange(actor, item, context, {
      action: 'invitation.resent',
      before: { expiresAt: item.validUntil, delivery: item.delivery.status },
      after: { expiresAt: renewed.validUntil },
    }),
  ]);
  return renewed;
}
