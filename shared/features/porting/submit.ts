import { decisionStillHolds } from '../../access/guards';
import type { MemberItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { encryptSecret } from '../../core/envelope';
import { newId } from '../../core/ids';
import { idempotent } from '../../db/idempotency';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { parseNumber } from '../numbers/phone';
import { assigneeIsMember, claimForPort } from './claims';
import {
  type AccountHolder,
  auditedDetails,
  type PortingDetails,
  type PortingRequest,
  type PortingRequestItem,
  pinContext,
  portingRecord,
  portingTarget,
  toPortingRequest,
} from './items';

export interface SubmitInput {
  phoneNumber: string;
  carrier: string;
  accountNumber: string;
  pin: string;
  accountHolder: AccountHolder;
  billingTelephoneNumber?: string | null | undefined;
  requestedPortDate?: string | null | undefined;
  assignTo?: string | null | undefined;
}

/** The workspace's details in stored form: numbers in E.164, absent optionals null. */
export function storedDetails(input: Omit<SubmitInput, 'pin'>): PortingDetails {
  return {
    phoneNumber: parseNumber(input.phoneNumber, 'phoneNumber').number,
    carrier: input.carrier,
    accountNumber: input.accountNumber,
    accountHolder: {
      name: input.accountHolder.name,
      address: { ...input.accountHolder.address, line2: input.accountHolder.address.line2 ?? null },
    },
    billingTelephoneNumber: input.billingTelephoneNumber
      ? parseNumber(input.billingTelephoneNumber, 'billingTelephoneNumber').number
      : null,
    requestedPortDate: input.requestedPortDate ?? null,
    assignTo: input.assignTo ?? null,
  };
}

/**
 * Submits a request: the PIN encrypted under a new data key bound to this
 * workspace and request (one KMS call), and in one transaction the request,
 * its number's place across the table, the assignee's membership, the
 * actor's role and the audit event.
 */
export function submitPortingRequest(
  actor: MemberItem,
  input: SubmitInput,
  idempotencyKey: string | undefined,
  context: RequestContext,
): Promise<PortingRequest> {
  const { pin, ...rest } = input;
  const details = storedDetails(rest);
  return idempotent<PortingRequest>(
    {
      scope: `submitPortingRequest#${actor.workspaceId}#${actor.userId}`,
      key: idempotencyKey,
      // Without the PIN: a hash of a short PIN, beside the request's other details, could be brute-forced.
      request: details,
      now: context.now,
    },
    async (record) => {
      const at = context.now.toISOString();
      const id = newId('PR', context.now.getTime());
      const item: PortingRequestItem = {
        id,
        workspaceId: actor.workspaceId,
        ...details,
        pin: await encryptSecret(pin, pinContext({ workspaceId: actor.workspaceId, id })),
        status: 'submitted',
        reason: null,
        phoneNumberId: null,
        createdAt: at,
        updatedAt: at,
        correctedAt: at,
        createdBy: actor.userId,
      };
      const response = toPortingRequest(item);
      const recordStep = record(response);
      await transact([
        // First: a replay fails here and answers the first response.
        ...(recordStep ? [recordStep] : []),
        { put: { Item: portingRecord(item), ConditionExpression: 'attribute_not_exists(PK)' } },
        claimForPort(item),
        ...(item.assignTo ? [assigneeIsMember(actor.workspaceId, item.assignTo)] : []),
        ...decisionStillHolds(actor),
        auditStep({
          ...context,
          workspaceId: actor.workspaceId,
          action: 'portingRequest.created',
          target: portingTarget(item),
          before: null,
          after: { ...auditedDetails(details), status: item.status },
        }),
      ]);
      return response;
    },
  );
}
