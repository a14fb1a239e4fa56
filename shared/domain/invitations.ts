import { mapWithConcurrency } from '../concurrency';
import { phoneNumberKey } from '../db/keys';
import { transact } from '../db/transact';
import { AppError, type ErrorCode, errorCatalogue } from '../http/errors';
import { derivedId, newId } from '../ids';
import { logger } from '../logger';
import { enforce, type NumberAccess } from '../permissions';
import { batchGetConsistent } from './access';
import { parseAddresses } from './addresses';
import { auditStep } from './audit';
import { actorStillHasRole, workspaceIsActive } from './conditions';
import { idempotentBatch } from './idempotency';
import {
  type Invitation,
  type InvitationItem,
  invitationValidityMs,
  newInvitationToken,
  type StoredPhoneAssignment,
  toInvitation,
} from './invitation-items';
import { reserveInvitations } from './invitation-limits';
import { getInvitationItem, invitationRecord, invitationTarget, tokenRecord } from './invitation-records';
import { invitationRequest, requireActive } from './invitation-rules';
import { claimAddress, deliver, reissue, WrittenByFirstAttempt } from './invitation-sending';
import type { MemberItem, WorkspaceItem } from './items';
import type { Role } from './roles';
import type { ChangeContext } from './workspaces';

/** Addresses of one batch in flight at once: each is a transaction, then an email. */
const parallelInvitations = 4;

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

/** Refusals that are about the address itself; any other refusal of every address is the request's. */
const addressCodes: ErrorCode[] = ['INVALID_EMAIL', 'ALREADY_MEMBER', 'ALREADY_INVITED'];

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

/**
 * Invites a batch of addresses (D1 decides who may invite whom). Sending
 * slots are reserved first; then each address is its own transaction and its
 * own email, so one address's problem never blocks the others: invalid
 * addresses, members and pending invitations come back in `errors`.
 */
export async function createInvitations(
  actor: MemberItem,
  workspace: WorkspaceItem,
  input: CreateInvitationsInput,
  context: ChangeContext,
): Promise<CreateInvitationsResult> {
  const { now } = context;
  requireActive(workspace);
  const phoneAssignment = await resolvePhoneAssignment(workspace.id, input.phoneAssignment);
  enforce(invitationRequest(actor, workspace, input.role, phoneAssignment));
  const { valid, invalid, positions } = parseAddresses(input.emails);
  const request = { emails: valid, invalid, role: input.role, phoneAssignment: input.phoneAssignment };

  const inviteOne = async (email: string, startedAt: Date): Promise<Invitation | AddressError> => {
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
        workspaceIsActive(workspace.id),
        actorStillHasRole(workspace.id, actor.userId, actor.role),
        auditStep({
          ...context,
          workspaceId: workspace.id,
          action: 'invitation.created',
          target: invitationTarget(item),
          before: null,
          after: { email, role: item.role, phoneAssignment: toInvitation(item, now).phoneAssignment },
        }),
      ]);
      return toInvitation(await deliver(item, token, now), now);
    } catch (error) {
      if (!(error instanceof WrittenByFirstAttempt)) return refusal(email, error);
      return resumeFirstAttempt(item.id).catch((cause: unknown) => refusal(email, cause));
    }
  };

  /** One address's failure is reported with it; the others still go out. */
  const refusal = (email: string, error: unknown): AddressError => {
    if (error instanceof AppError) return { email, code: error.code, message: error.message };
    logger.error('Invitation failed', { requestId: context.requestId, error: error as Error });
    return { email, code: 'INTERNAL', message: errorCatalogue.INTERNAL.message };
  };

  /** What a crashed first attempt wrote; emailed now if that attempt died before sending. */
  const resumeFirstAttempt = async (invitationId: string): Promise<Invitation> => {
    const written = await getInvitationItem(workspace.id, invitationId);
    const stuck = written.status === 'pending' && written.delivery.status === 'sending';
    return toInvitation(stuck ? await reissue(written, actor, workspace, context) : written, now);
  };

  return idempotentBatch<CreateInvitationsResult>(
    { scope: `createInvitations#${workspace.id}#${actor.userId}`, key: input.idempotencyKey, request, now },
    async (startedAt) => {
      const indexed = (errors: AddressError[]) =>
        errors.map((error) => ({
          path: `emails.${positions.get(error.email) ?? 0}`,
          message: `${error.email}: ${error.message} (${error.code})`,
        }));
      if (valid.length === 0) throw new AppError('NOTHING_TO_INVITE', undefined, indexed(invalid));
      const reservation = await reserveInvitations(workspace.id, actor.userId, valid.length, now);
      const outcomes = await mapWithConcurrency(valid, parallelInvitations, (email) =>
        inviteOne(email, startedAt),
      );
      const data = outcomes.filter((outcome): outcome is Invitation => 'id' in outcome);
      const refused = outcomes.filter((outcome): outcome is AddressError => 'code' in outcome);
      await reservation.release(refused.length);
      const [first] = refused;
      if (data.length === 0 && first) {
        // Every address refused for the same reason that is not about the address: that is the answer.
        const shared =
          refused.every((error) => error.code === first.code) && !addressCodes.includes(first.code);
        if (shared && invalid.length === 0) throw new AppError(first.code, first.message);
        throw new AppError('NOTHING_TO_INVITE', undefined, indexed([...invalid, ...refused]));
      }
      return { data, errors: [...invalid, ...refused] };
    },
  );
}
