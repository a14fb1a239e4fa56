import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '../db/client';
import { addressKey, invitationKey } from '../db/keys';
import { type TransactStep, transact } from '../db/transact';
import { invitationEmail } from '../email/invitation-email';
import { sendEmail } from '../email/ses';
import { AppError } from '../http/errors';
import { logger } from '../logger';
import { auditStep } from './audit';
import { actorStillHasRole, workspaceIsActive } from './conditions';
import {
  type DeliveryState,
  epochSeconds,
  type InvitationItem,
  invitationRetentionMs,
  invitationValidityMs,
  newInvitationToken,
} from './invitation-items';
import { forgetToken, invitationRecord, invitationTarget, tokenRecord } from './invitation-records';
import type { MemberItem, WorkspaceItem } from './items';
import type { ChangeContext } from './workspaces';

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
  return {
    put: {
      Item: {
        ...addressKey(item.workspaceId, item.email),
        workspaceId: item.workspaceId,
        email: item.email,
        holder: 'invitation',
        invitationId: item.id,
        validUntil: item.validUntil,
        ttl: epochSeconds(Date.parse(item.validUntil) + invitationRetentionMs),
      },
      ConditionExpression: `attribute_not_exists(PK) OR (holder = :invitation AND validUntil <= :now)${
        options.orHeldByItself ? ' OR invitationId = :id' : ''
      }`,
      ExpressionAttributeValues: {
        ':invitation': 'invitation',
        ':now': now.toISOString(),
        ...(options.orHeldByItself ? { ':id': item.id } : {}),
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
 * A new link for a pending invitation (the old one dies), valid 7 days from
 * now, and the email again: what a resend does, and what a retried batch does
 * for an invitation whose first attempt died before emailing it.
 */
export async function reissue(
  item: InvitationItem,
  actor: MemberItem,
  workspace: WorkspaceItem,
  context: ChangeContext,
): Promise<InvitationItem> {
  const { now } = context;
  const { token, tokenHash } = newInvitationToken();
  const renewed: InvitationItem = {
    ...item,
    workspaceName: workspace.name,
    tokenHash,
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
    {
      put: {
        Item: invitationRecord(renewed),
        ConditionExpression: '#status = :pending AND tokenHash = :tokenHash',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':tokenHash': item.tokenHash },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      // Still pending but with another link: a concurrent resend won.
      onConditionFailed: (current) =>
        new AppError(current?.status === 'pending' ? 'CONCURRENT_UPDATE' : 'INVITATION_NOT_PENDING'),
    },
    forgetToken(item),
    { put: { Item: tokenRecord(renewed), ConditionExpression: 'attribute_not_exists(PK)' } },
    workspaceIsActive(workspace.id),
    actorStillHasRole(workspace.id, actor.userId, actor.role),
    auditStep({
      ...context,
      workspaceId: workspace.id,
      action: 'invitation.resent',
      target: invitationTarget(item),
      before: { expiresAt: item.validUntil, delivery: item.delivery.status },
      after: { expiresAt: renewed.validUntil },
    }),
  ]);
  return deliver(renewed, token, now);
}
