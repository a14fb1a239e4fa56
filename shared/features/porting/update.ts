import { actorStillHasRole, decisionStillHolds } from '../../access/guards';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { encryptSecret } from '../../core/envelope';
import { AppError } from '../../core/errors';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { assigneeIsMember, claimForPort, releasePortClaim } from './claims';
import {
  auditedDetails,
  correctableStatuses,
  isOpen,
  type PortingDetails,
  type PortingRequest,
  type PortingRequestItem,
  type PortingStatus,
  pinContext,
  portingRecord,
  portingTarget,
  toPortingRequest,
} from './items';
import { changedMeanwhile, statusStep } from './status';
import { type SubmitInput, storedDetails } from './submit';

export type UpdateInput = Partial<SubmitInput> & { status?: 'cancelled' | undefined };

const isCorrectable = (status: PortingStatus) => (correctableStatuses as readonly string[]).includes(status);

const detailsOf = (item: PortingRequestItem): PortingDetails => ({
  phoneNumber: item.phoneNumber,
  carrier: item.carrier,
  accountNumber: item.accountNumber,
  accountHolder: item.accountHolder,
  billingTelephoneNumber: item.billingTelephoneNumber,
  requestedPortDate: item.requestedPortDate,
  assignTo: item.assignTo,
});

/** The details a correction changes, before and after (for the audit event). */
function changedDetails(before: PortingDetails, after: PortingDetails) {
  const keys = (Object.keys(after) as (keyof PortingDetails)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  const pick = (details: PortingDetails) => Object.fromEntries(keys.map((key) => [key, details[key]]));
  return { before: auditedDetails(pick(before)), after: auditedDetails(pick(after)) };
}

/**
 * Corrections while the carrier has not started or waits on the workspace:
 * any field, a new PIN under a new data key (the old ciphertext goes), and
 * the request is `submitted` again. A new number moves its place across the
 * table in the same transaction.
 */
async function correct(
  actor: MemberItem,
  item: PortingRequestItem,
  input: Partial<SubmitInput>,
  context: RequestContext,
): Promise<PortingRequest> {
  if (!isCorrectable(item.status)) throw new AppError('PORTING_REQUEST_CLOSED');
  const { pin, ...fields } = input;
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const details = storedDetails({ ...detailsOf(item), ...given });
  const updated: PortingRequestItem = {
    ...item,
    ...details,
    pin: pin === undefined ? item.pin : await encryptSecret(pin, pinContext(item)),
    status: 'submitted',
    reason: null,
    updatedAt: context.now.toISOString(),
    correctedAt: context.now.toISOString(),
  };
  const numberMoves = details.phoneNumber !== item.phoneNumber;
  const changes = changedDetails(detailsOf(item), details);
  await transact([
    {
      put: {
        Item: portingRecord(updated),
        ConditionExpression: '#status = :seen AND updatedAt = :seenAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':seen': item.status, ':seenAt': item.updatedAt },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) => changedMeanwhile(current, isCorrectable),
    },
    ...(numberMoves ? [releasePortClaim(item), claimForPort(updated)] : []),
    ...(details.assignTo && details.assignTo !== item.assignTo
      ? [assigneeIsMember(item.workspaceId, details.assignTo)]
      : []),
    ...decisionStillHolds(actor),
    auditStep({
      ...context,
      workspaceId: item.workspaceId,
      action: 'portingRequest.updated',
      target: portingTarget(item),
      before: { ...changes.before, status: item.status, reason: item.reason },
      after: { ...changes.after, ...(pin === undefined ? {} : { pinChanged: true }), status: 'submitted' },
    }),
  ]);
  return toPortingRequest(updated);
}

/**
 * Cancelled by the workspace, any time before completed: the number's place
 * is given back. Also in a workspace no longer active, so that a suspended
 * workspace never keeps a number from its rightful owner.
 */
async function cancel(
  actor: MemberItem,
  item: PortingRequestItem,
  context: RequestContext,
): Promise<PortingRequest> {
  if (!isOpen(item.status)) throw new AppError('PORTING_REQUEST_CLOSED');
  const at = context.now.toISOString();
  await transact([
    statusStep(item, 'cancelled', null, at),
    releasePortClaim(item),
    actorStillHasRole(actor),
    auditStep({
      ...context,
      workspaceId: item.workspaceId,
      action: 'portingRequest.cancelled',
      target: portingTarget(item),
      before: { status: item.status, reason: item.reason },
      after: { status: 'cancelled' },
    }),
  ]);
  return toPortingRequest({ ...item, status: 'cancelled', reason: null, updatedAt: at });
}

/** A PATCH: `{status: "cancelled"}` cancels; anything else is a correction. */
export function updatePortingRequest(
  actor: MemberItem,
  item: PortingRequestItem,
  input: UpdateInput,
  context: RequestContext,
): Promise<PortingRequest> {
  const { status, ...corrections } = input;
  return status === 'cancelled' ? cancel(actor, item, context) : correct(actor, item, corrections, context);
}
