import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../concurrency';
import { dynamo, tableName } from '../db/client';
import { addressKey, invitationKey, invitationRateKey, phoneNumberKey } from '../db/keys';
import { type TransactStep, transact } from '../db/transact';
import { invitationEmail } from '../email/invitation-email';
import { sendEmail } from '../email/ses';
import { AppError, type ErrorCode } from '../http/errors';
import { derivedId, newId } from '../ids';
import { enforce, type NumberAccess } from '../permissions';
import { batchGetConsistent } from './access';
import { parseAddresses } from './addresses';
import { auditStep } from './audit';
import { actorStillHasRole, workspaceIsActive } from './conditions';
import { idempotentBatch } from './idempotency';
import {
  type DeliveryState,
  epochSeconds,
  type Invitation,
  type InvitationItem,
  invitationRetentionMs,
  invitationValidityMs,
  newInvitationToken,
  type StoredPhoneAssignment,
  toInvitation,
} from './invitation-items';
import {
  forgetToken,
  getInvitationItem,
  invitationRecord,
  invitationTarget,
  pendingInvitationFor,
  tokenRecord,
  unchangedSince,
} from './invitation-records';
import type { MemberItem, WorkspaceItem } from './items';
import type { Role } from './roles';
import type { ChangeContext } from './workspaces';

export const invitationsPerHour = 200;
const parallelInvitations = 8;

export type PhoneAssignmentInput =
  | { mode: 'new' }
  | { mode: 'share'; phoneNumberIds: string[]; access: NumberAccess };

export interface CreateInvitationsInput {
  emails: string | string[];
  role: Role;
  phoneAssignment: PhoneAssignmentInput;
  idempotencyKey: string | undefined;
}

export interface AddressError {
  email: string;
  code: ErrorCode;
  message: string;
}

export interface CreateInvitationsResult {
  data: Invitation[];
  errors: AddressError[];
}

/** Thrown by an address's condition when a crashed first attempt of the same request already wrote it. */
class WrittenByFirstAttempt extends Error {}

const hourOf = (now: Date) => now.toISOString().slice(0, 13);

function rateLimited(now: Date, remaining: number): AppError {
  const nextHour = new Date(Date.parse(`${hourOf(now)}:00:00.000Z`) + 3_600_000);
  const resumes = nextHour.toISOString().slice(11, 16);
  const left = remaining > 0 ? ` Only ${remaining} more can be sent this hour.` : '';
  return new AppError(
    'RATE_LIMITED',
    `A workspace can send at most ${invitationsPerHour} invitations per hour.${left} Try again after ${resumes} UTC.`,
  );
}

/** Counts one sent invitation against the workspace's hourly limit, atomically with the invitation. */
function countAgainstHourlyLimit(workspaceId: string, now: Date): TransactStep {
  return {
    update: {
      Key: invitationRateKey(workspaceId, hourOf(now)),
      UpdateExpression: 'SET #ttl = :ttl ADD sent :one',
      ConditionExpression: 'attribute_not_exists(sent) OR sent < :max',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':max': invitationsPerHour,
        ':ttl': epochSeconds(now.getTime()) + 7200,
      },
    },
    onConditionFailed: () => rateLimited(now, 0),
  };
}

async function sentThisHour(workspaceId: string, now: Date): Promise<number> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName,
      Key: invitationRateKey(workspaceId, hourOf(now)),
      ConsistentRead: true,
    }),
  );
  return typeof Item?.sent === 'number' ? Item.sent : 0;
}

/** The numbers to share, as they are in the workspace; unknown ids are a 400 naming them. */
async function resolvePhoneAssignment(
  workspaceId: string,
  input: PhoneAssignmentInput,
): Promise<StoredPhoneAssignment> {
  if (input.mode === 'new') return { mode: 'new' };
  const ids = [...new Set(input.phoneNumberIds)];
  const found = await batchGetConsistent(ids.map((id) => phoneNumberKey(workspaceId, id)));
  const numbers = ids.flatMap((id) => {
    const item = found.find((candidate) => candidate.SK === phoneNumberKey(workspaceId, id).SK);
    return item ? [{ id, number: String(item.number) }] : [];
  });
  const missing = ids.filter((id) => !numbers.some((number) => number.id === id));
  if (missing.length > 0) {
    throw new AppError(
      'PHONE_NUMBER_NOT_FOUND',
      undefined,
      missing.map((id) => ({
        path: `phoneAssignment.phoneNumberIds.${input.phoneNumberIds.indexOf(id)}`,
        message: `${id} is not a phone number of this workspace.`,
      })),
    );
  }
  return { mode: 'share', numbers, access: input.access };
}

function appUrl(): string {
  return (process.env.APP_URL ?? '').replace(/\/+$/, '');
}

/** Emails the link and records how it went; a failed send leaves the invitation in place, resendable. */
async function deliver(item: InvitationItem, token: string, now: Date): Promise<InvitationItem> {
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
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName,
        Key: invitationKey(item.workspaceId, item.id),
        UpdateExpression: 'SET delivery = :delivery',
        // A newer resend owns the delivery state from then on.
        ConditionExpression: 'tokenHash = :tokenHash',
        ExpressionAttributeValues: { ':delivery': state, ':tokenHash': item.tokenHash },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return { ...item, delivery: state };
}

/** The address now belongs to this pending invitation, unless a member or another live invitation holds it. */
function claimAddress(
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
 * Invites a batch of addresses (D1 decides who may invite whom). Each address
 * is its own transaction, so one address's problem never blocks the others:
 * invalid addresses, members and pending invitations come back in `errors`.
 */
export async function createInvitations(
  actor: MemberItem,
  workspace: WorkspaceItem,
  input: CreateInvitationsInput,
  context: ChangeContext,
): Promise<CreateInvitationsResult> {
  const { now } = context;
  const phoneAssignment = await resolvePhoneAssignment(workspace.id, input.phoneAssignment);
  enforce({
    kind: 'invitation',
    actorRole: actor.role,
    settings: workspace.settings,
    invitedRole: input.role,
    sharedNumbers:
      phoneAssignment.mode === 'share'
        ? phoneAssignment.numbers.map(({ id }) => ({
            id,
            actorAccess: actor.phoneNumbers.find((number) => number.id === id)?.access,
          }))
        : [],
  });
  const { valid, invalid } = parseAddresses(input.emails);
  const request = { emails: valid, invalid, role: input.role, phoneAssignment: input.phoneAssignment };

  return idempotentBatch<CreateInvitationsResult>(
    {
      scope: `createInvitations#${workspace.id}#${actor.userId}`,
      key: input.idempotencyKey,
      request,
      now,
    },
    async (startedAt) => {
      if (valid.length === 0) throw nothingToInvite(invalid);
      const remaining = invitationsPerHour - (await sentThisHour(workspace.id, now));
      if (remaining < valid.length) throw rateLimited(now, remaining);

      type Outcome = { invitation: Invitation } | { error: AddressError };
      const outcomes = await mapWithConcurrency(
        valid,
        parallelInvitations,
        async (email): Promise<Outcome> => {
          const { token, tokenHash } = newInvitationToken();
          const item: InvitationItem = {
            id: input.idempotencyKey
              ? derivedId('IV', startedAt.getTime(), `${input.idempotencyKey}#${email}`)
              : newId('IV', now.getTime()),
            workspaceId: workspace.id,
            workspaceName: workspace.name,
            email,
            role: input.role,
            phoneAssignment,
            status: 'pending',
            tokenHash,
            invitedBy: { userId: actor.userId, name: actor.name },
            createdAt: now.toISOString(),
            validUntil: new Date(now.getTime() + invitationValidityMs).toISOString(),
            delivery: { status: 'sending', reason: null, attempts: 1, lastAttemptAt: now.toISOString() },
          };
          try {
            await transact([
              claimAddress(item, now),
              { put: { Item: invitationRecord(item), ConditionExpression: 'attribute_not_exists(PK)' } },
              { put: { Item: tokenRecord(item), ConditionExpression: 'attribute_not_exists(PK)' } },
              countAgainstHourlyLimit(workspace.id, now),
              workspaceIsActive(workspace.id),
              actorStillHasRole(workspace.id, actor.userId, actor.role),
              auditStep({
                ...context,
                workspaceId: workspace.id,
                action: 'invitation.created',
                target: invitationTarget(item),
                before: null,
                after: {
                  email,
                  role: item.role,
                  phoneAssignment: toInvitation(item, now).phoneAssignment,
                },
              }),
            ]);
          } catch (error) {
            if (error instanceof WrittenByFirstAttempt) {
              return { invitation: toInvitation(await getInvitationItem(workspace.id, item.id), now) };
            }
            if (error instanceof AppError)
              return { error: { email, code: error.code, message: error.message } };
            throw error;
          }
          return { invitation: toInvitation(await deliver(item, token, now), now) };
        },
      );

      const data = outcomes.flatMap((outcome) => ('invitation' in outcome ? [outcome.invitation] : []));
      const refused = outcomes.flatMap((outcome) => ('error' in outcome ? [outcome.error] : []));
      if (data.length === 0) {
        if (refused.every((error) => error.code === 'RATE_LIMITED')) throw rateLimited(now, 0);
        throw nothingToInvite([...invalid, ...refused]);
      }
      return { data, errors: [...invalid, ...refused] };
    },
  );
}

function nothingToInvite(errors: AddressError[]): AppError {
  return new AppError(
    'NOTHING_TO_INVITE',
    undefined,
    errors.map((error) => ({ path: 'emails', message: `${error.email}: ${error.message}` })),
  );
}

/** A new link (the old one dies), a fresh 7 days, and the email again. */
export async function resendInvitation(
  actor: MemberItem,
  workspace: WorkspaceItem,
  invitationId: string,
  context: ChangeContext,
): Promise<Invitation> {
  const { now } = context;
  const item = await pendingInvitationFor(actor, workspace, invitationId, 'resend');
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
  const unchanged = unchangedSince(item);
  await transact([
    // The address may have been taken meanwhile by a member or, once this one expired, another invitation.
    claimAddress(renewed, now, { orHeldByItself: true }),
    {
      put: {
        Item: invitationRecord(renewed),
        ConditionExpression: unchanged.ConditionExpression,
        ExpressionAttributeNames: unchanged.names,
        ExpressionAttributeValues: unchanged.values,
      },
      onConditionFailed: unchanged.onConditionFailed,
    },
    forgetToken(item),
    { put: { Item: tokenRecord(renewed), ConditionExpression: 'attribute_not_exists(PK)' } },
    countAgainstHourlyLimit(workspace.id, now),
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
  return toInvitation(await deliver(renewed, token, now), now);
}
