import { requireActive } from '../../access/guards';
import { hasPermission } from '../../access/permissions';
import type { NumberAccess, Role } from '../../access/roles';
import { enforce } from '../../access/rules';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import { mapWithConcurrency } from '../../core/concurrency';
import type { RequestContext } from '../../core/context';
import { AppError, type ErrorCode, errorCatalogue, type FieldError } from '../../core/errors';
import { derivedId, newId } from '../../core/ids';
import { logger } from '../../core/logger';
import { batchGetConsistent, itemAt } from '../../db/batch';
import { idempotentBatch } from '../../db/idempotency';
import { phoneNumberKey } from '../../db/keys';
import { transact } from '../../db/transact';
import { seatsImpact } from '../billing/preview';
import { parseAddresses } from './addresses';
import { claimAddress, emailInvitation, queuedDelivery, WrittenByFirstAttempt } from './delivery';
import {
  type Invitation,
  type InvitationItem,
  invitationRecord,
  invitationValidityMs,
  newInvitationToken,
  type StoredPhoneAssignment,
  toInvitation,
} from './items';
import { reserveInvitations } from './limits';
import { getInvitationItem, invitationChange, issueToken } from './records';
import { invitationRequest } from './rules';

/** Addresses of one batch in flight at once: each is one transaction (its email is queued in it). */
const parallelInvitations = 8;

type PhoneAssignmentInput =
  | { mode: 'new' }
  | { mode: 'share'; phoneNumberIds: string[]; access: NumberAccess };

export interface CreateInvitationsInput {
  emails: string | string[];
  role: Role;
  phoneAssignment: PhoneAssignmentInput;
  idempotencyKey: string | undefined;
}

/** A batch's addresses and numbers, checked (400) before the route's permission is decided. */
export interface PreparedInvitations {
  addresses: ReturnType<typeof parseAddresses>;
  phoneAssignment: StoredPhoneAssignment;
}

interface AddressError {
  email: string;
  code: ErrorCode;
  message: string;
}

export interface CreateInvitationsResult {
  data: Invitation[];
  errors: AddressError[];
  billing?: Awaited<ReturnType<typeof seatsImpact>>;
}

/** Refusals about the address itself. Any other refusal of every address is the request's own answer. */
const addressCodes: ErrorCode[] = [
  'INVALID_EMAIL',
  'ALREADY_MEMBER',
  'ALREADY_INVITED',
  'ADDRESS_SUPPRESSED',
];

/** The numbers to share, as they are in the workspace; unknown ids are a 400 naming them. */
async function resolvePhoneAssignment(
  workspaceId: string,
  input: PhoneAssignmentInput,
): Promise<StoredPhoneAssignment> {
  if (input.mode === 'new') return { mode: 'new' };
  const ids = [...new Set(input.phoneNumberIds)];
  const found = await batchGetConsistent(ids.map((id) => phoneNumberKey(workspaceId, id)));
  const numbers = ids.flatMap((id) => {
    const item = itemAt(found, phoneNumberKey(workspaceId, id));
    return item ? [{ id, number: String(item.number) }] : [];
  });
  const missing = ids.filter((id) => !numbers.some((number) => number.id === id));
  if (missing.length > 0) {
    throw new AppError('PHONE_NUMBER_NOT_FOUND', undefined, {
      fieldErrors: missing.map((id) => ({
        path: `phoneAssignment.phoneNumberIds.${input.phoneNumberIds.indexOf(id)}`,
        message: `${id} is not a phone number of this workspace.`,
      })),
    });
  }
  return { mode: 'share', numbers, access: input.access };
}

/**
 * The answer to a batch in which no address could be invited: the shared
 * reason when it is not about the addresses (a rate limit, an inactive
 * workspace), else 409 when any address conflicts with the state (a member,
 * a pending invitation), each listed with its own code.
 */
function nothingInvited(refused: AddressError[], positions: Map<string, number>): AppError {
  const [first] = refused;
  if (first && !addressCodes.includes(first.code) && refused.every((error) => error.code === first.code)) {
    return new AppError(first.code, first.message);
  }
  return new AppError('NOTHING_TO_INVITE', undefined, { fieldErrors: indexed(refused, positions) });
}

/** Each refused address as an error of the request, at its place in `emails`, with its own code. */
const indexed = (errors: AddressError[], positions: Map<string, number>): FieldError[] =>
  errors.map((error) => ({
    path: `emails.${positions.get(error.email) ?? 0}`,
    code: error.code,
    message: `${error.email}: ${error.message}`,
  }));

/**
 * The request's own problems: no valid address at all (400, whatever else
 * holds), numbers the workspace does not have (400 naming them).
 */
export async function prepareInvitations(
  workspaceId: string,
  input: Pick<CreateInvitationsInput, 'emails' | 'phoneAssignment'>,
): Promise<PreparedInvitations> {
  const addresses = parseAddresses(input.emails);
  if (addresses.valid.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'None of these is a valid email address.', {
      fieldErrors: indexed(addresses.invalid, addresses.positions),
    });
  }
  return { addresses, phoneAssignment: await resolvePhoneAssignment(workspaceId, input.phoneAssignment) };
}

/**
 * Invites a batch of addresses (D1 decides who may invite whom). Sending
 * slots are reserved first; then each address is its own transaction, its
 * email queued in it (the mailer sends it after the answer), so one
 * address's problem never blocks the others: invalid addresses, members,
 * pending invitations and suppressed addresses come back in `errors`.
 */
export async function createInvitations(
  actor: MemberItem,
  workspace: WorkspaceItem,
  input: CreateInvitationsInput,
  prepared: PreparedInvitations,
  context: RequestContext,
): Promise<CreateInvitationsResult> {
  const { now } = context;
  const { valid, invalid, positions } = prepared.addresses;
  const { phoneAssignment } = prepared;
  enforce(invitationRequest(actor, input.role, phoneAssignment));
  requireActive(workspace);
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
      delivery: queuedDelivery(1, now),
    };
    try {
      await transact([
        // First, so that its refusal is the one reported: a dead address, even while a bounced
        // invitation to it still holds it, is ADDRESS_SUPPRESSED rather than ALREADY_INVITED.
        ...emailInvitation(item, token, now),
        claimAddress(item, now),
        { put: { Item: invitationRecord(item), ConditionExpression: 'attribute_not_exists(PK)' } },
        issueToken(item),
        ...invitationChange(actor, item, context, {
          action: 'invitation.created',
          before: null,
          after: { email, role: item.role, phoneAssignment: toInvitation(item, now).phoneAssignment },
        }),
      ]);
      return toInvitation(item, now);
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

  /** What a crashed first attempt wrote: its email was queued with it. */
  const resumeFirstAttempt = async (invitationId: string): Promise<Invitation> =>
    toInvitation(await getInvitationItem(workspace.id, invitationId), now);

  const result = await idempotentBatch<CreateInvitationsResult>(
    { scope: `createInvitations#${workspace.id}#${actor.userId}`, key: input.idempotencyKey, request, now },
    async (startedAt) => {
      const reservation = await reserveInvitations(workspace.id, actor.userId, valid.length, now);
      const outcomes = await mapWithConcurrency(valid, parallelInvitations, (email) =>
        inviteOne(email, startedAt),
      );
      const data = outcomes.filter((outcome): outcome is Invitation => 'id' in outcome);
      const refused = outcomes.filter((outcome): outcome is AddressError => 'code' in outcome);
      await reservation.release(refused.length);
      if (data.length === 0) throw nothingInvited([...invalid, ...refused], positions);
      return { data, errors: [...invalid, ...refused] };
    },
  );
  // What the batch would cost, for those who pay: priced now, also when a retry answers the first result.
  if (!hasPermission(actor.role, 'billing.manage', workspace.settings)) return result;
  return { ...result, billing: await seatsImpact(workspace, result.data.length, now) };
}
