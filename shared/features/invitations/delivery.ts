import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { dynamo, tableName } from '../../db/client';
import { invitationKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { sendEmail } from '../../email/ses';
import { addressHeldBy } from '../members/items';
import { invitationEmail } from './email';
import {
  type DeliveryState,
  type InvitationItem,
  invitationAddressRecord,
  invitationRecord,
  invitationValidityMs,
  newInvitationToken,
} from './items';
import { cooldownStart, tooSoonToResend } from './limits';
import { forgetToken, invitationChange, issueToken, unchangedSince } from './records';

/** Thrown by an address's condition when a crashed first attempt of the same request already wrote it. */
export class WrittenByFirstAttempt extends Error {}

const appUrl = () => (process.env.APP_URL ?? '').replace(/\/+$/, '');

/**
 * Emails the link and records how it went. A failed send leaves the
 * invitation in place, resendable; a failure to record the outcome only
 * leaves it shown as `sending`.
 */
export async function deliver(item: InvitationItem, token: string, now: Date): Promise<InvitationItem> {
  const delivery = await sendEmail(
    invitationEmail({
      to: item.email,
      workspaceName: item.workspaceName,
      inviterName: item.invitedBy.name,
      role: item.role,
      expiresAt: new Date(item.validUntil),
      link: `${appUrl()}/join?token=${token}`,
    }),
  );
  const state: DeliveryState = { ...item.delivery, ...delivery, lastAttemptAt: now.toISOString() };
  await dynamo
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: invitationKey(item.workspaceId, item.id),
        UpdateExpression: 'SET delivery = :delivery',
        // A newer resend owns the delivery state from then on.
        ConditionExpression: 'tokenHash = :tokenHash',
        ExpressionAttributeValues: { ':delivery': state, ':tokenHash': item.tokenHash },
      }),
    )
    .catch((error: unknown) => {
      if ((error as Error).name !== 'ConditionalCheckFailedException') {
        logger.warn('Could not record an invitation’s delivery', {
          invitationId: item.id,
          error: error as Error,
        });
      }
    });
  return { ...item, delivery: state };
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
 * The invitation is replaced only if it is still the one read; with the
 * cooldown, also only if its last send is a minute old (or failed), which is
 * what makes concurrent resends send one email.
 */
function replaceIfUnchanged(
  item: InvitationItem,
  renewed: InvitationItem,
  now: Date,
  cooldown: boolean,
): TransactStep {
  const unchanged = unchangedSince(item);
  const since = cooldownStart(now);
  return {
    put: {
      Item: invitationRecord(renewed),
      ConditionExpression: cooldown
        ? `${unchanged.ConditionExpression} AND (delivery.#status = :failed OR delivery.lastAttemptAt <= :cooldownStart)`
        : unchanged.ConditionExpression,
      ExpressionAttributeNames: unchanged.names,
      ExpressionAttributeValues: {
        ...unchanged.values,
        ...(cooldown ? { ':failed': 'failed', ':cooldownStart': since } : {}),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    onConditionFailed: (current) => {
      const last = (current?.delivery as DeliveryState | undefined)?.lastAttemptAt;
      // Another resend (this one's twin, or one just before) sent it moments ago.
      if (cooldown && current?.status === 'pending' && last && last > since)
        return tooSoonToResend(last, now);
      return unchanged.onConditionFailed(current);
    },
  };
}

/**
 * A new link for a pending invitation (the old one dies), valid 7 days from
 * now, and the email again: what a resend does (with the cooldown), and what
 * a retried batch does for an invitation whose first attempt died before
 * emailing it. The actor's authority is what the invitation stands on from
 * now on.
 */
export async function reissue(
  item: InvitationItem,
  actor: MemberItem,
  workspace: WorkspaceItem,
  context: RequestContext,
  options: { cooldown: boolean },
): Promise<InvitationItem> {
  const { now } = context;
  const { token, tokenHash } = newInvitationToken();
  const renewed: InvitationItem = {
    ...item,
    workspaceName: workspace.name,
    tokenHash,
    authorizedBy: actor.userId,
    validUntil: new Date(now.getTime() + invitationValidityMs).toISOString(),
    delivery: {
      status: 'sending',
      reason: null,
      attempts: item.delivery.attempts + 1,
      lastAttemptAt: now.toISOString(),
    },
  };
  await transact([
    // The address may have been taken meanwhile by a member or, once this one expired, another invitation.
    claimAddress(renewed, now, { orHeldByItself: true }),
    replaceIfUnchanged(item, renewed, now, options.cooldown),
    forgetToken(item),
    issueToken(renewed),
    ...invitationChange(actor, item, context, {
      action: 'invitation.resent',
      before: { expiresAt: item.validUntil, delivery: item.delivery.status },
      after: { expiresAt: renewed.validUntil },
    }),
  ]);
  return deliver(renewed, token, now);
}
