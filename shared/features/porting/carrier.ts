import { workspaceIsActive } from '../../access/guards';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { batchGetConsistent, getConsistent, itemAt } from '../../db/batch';
import { e164Key, memberKey, portingRequestKey, workspaceKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { billedTransact } from '../billing/account';
import { setHeldNumbers } from '../numbers/held';
import {
  departingMembers,
  newNumberItem,
  numberRecord,
  numberTarget,
  type PhoneNumberItem,
} from '../numbers/items';
import { parseNumber } from '../numbers/phone';
import { releasePortClaim } from './claims';
import {
  type CarrierStatus,
  carrierTransitions,
  isOpen,
  type PortingRequest,
  type PortingRequestItem,
  portingTarget,
  toPortingRequest,
} from './items';
import { statusStep } from './status';

/** The request and its workspace: one BatchGetItem, strongly consistent. */
async function readRequest(workspaceId: string, portingRequestId: string) {
  const found = await batchGetConsistent([
    portingRequestKey(workspaceId, portingRequestId),
    workspaceKey(workspaceId),
  ]);
  const item = itemAt(found, portingRequestKey(workspaceId, portingRequestId)) as
    | PortingRequestItem
    | undefined;
  const workspace = itemAt(found, workspaceKey(workspaceId)) as WorkspaceItem | undefined;
  if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND');
  if (!item) throw new AppError('PORTING_REQUEST_NOT_FOUND');
  return { item, workspace };
}

const statusAudit = (item: PortingRequestItem, after: Record<string, unknown>, context: RequestContext) =>
  auditStep({
    ...context,
    workspaceId: item.workspaceId,
    action: 'portingRequest.statusChanged',
    target: portingTarget(item),
    before: { status: item.status, reason: item.reason },
    after,
  });

/**
 * The port is done: in one transaction the request is completed, the
 * number's place across the table becomes the number's, and the number is
 * added (to `assignTo`, exclusive and number owner, when still a member).
 */
function completionSteps(
  item: PortingRequestItem,
  number: PhoneNumberItem,
  holder: MemberItem | undefined,
  context: RequestContext,
): TransactStep[] {
  const at = context.now.toISOString();
  return [
    statusStep(item, 'completed', null, at, number.id),
    {
      update: {
        Key: e164Key(item.phoneNumber),
        UpdateExpression: 'SET phoneNumberId = :number REMOVE portingRequestId',
        ConditionExpression: 'portingRequestId = :request',
        ExpressionAttributeValues: { ':number': number.id, ':request': item.id },
      },
      onConditionFailed: () => new AppError('CONCURRENT_UPDATE'),
    },
    { put: { Item: numberRecord(number), ConditionExpression: 'attribute_not_exists(PK)' } },
    // The workspace must still be active (else the request stays in-progress).
    workspaceIsActive(item.workspaceId),
    ...(holder
      ? [setHeldNumbers(holder, { [number.id]: { number: number.number, access: 'exclusive' } })]
      : []),
    statusAudit(item, { status: 'completed', reason: null, phoneNumberId: number.id }, context),
    auditStep({
      ...context,
      workspaceId: item.workspaceId,
      action: 'phoneNumber.added',
      target: numberTarget(number),
      before: null,
      after: {
        number: number.number,
        name: number.name,
        portingRequestId: item.id,
        ...(holder ? { assignedTo: holder.userId, access: 'exclusive', numberOwner: true } : {}),
      },
    }),
  ];
}

/** `assignTo`, if still a member who is not on the way out; else the number comes in unassigned. */
async function assigneeOf(
  item: PortingRequestItem,
  workspace: WorkspaceItem,
): Promise<MemberItem | undefined> {
  if (!item.assignTo || departingMembers(workspace).has(item.assignTo)) return undefined;
  return getConsistent<MemberItem>(memberKey(item.workspaceId, item.assignTo));
}

async function complete(item: PortingRequestItem, workspace: WorkspaceItem, context: RequestContext) {
  if (workspace.status !== 'active') throw new AppError('WORKSPACE_INACTIVE');
  const holder = await assigneeOf(item, workspace);
  // The number, added with its billing (and to its assignee, if any) in the completion's transaction.
  const bringIn = async (assigned: MemberItem | undefined) => {
    const added = newNumberItem({
      workspaceId: item.workspaceId,
      parsed: parseNumber(item.phoneNumber, 'phoneNumber'),
      holder: assigned,
      createdBy: item.createdBy,
      now: context.now,
    });
    await billedTransact(
      workspace,
      { numbers: 1 },
      numberTarget(added),
      context,
      completionSteps(item, added, assigned, context),
    );
    return added.id;
  };
  try {
    return await bringIn(holder);
  } catch (error) {
    // The assignee left between the read and the write: the number still comes in, unassigned.
    if (!(holder && error instanceof AppError && error.code === 'MEMBER_NOT_FOUND')) throw error;
    return bringIn(undefined);
  }
}

/** What the carrier reports: a status, its reason, and the version of the request it acted on. */
export interface CarrierReport {
  status: CarrierStatus;
  reason?: string | undefined;
  updatedAt?: string | undefined;
}

/** The statuses that carry the carrier's reason: what to correct, or why it refused the port. */
const withReason = (status: CarrierStatus) => status === 'action-required' || status === 'cancelled';

/** A reason goes with action-required and cancelled, and only with them. */
export function checkReport(report: CarrierReport): void {
  const needsReason = withReason(report.status);
  if (needsReason === (report.reason !== undefined)) return;
  throw new AppError('VALIDATION_FAILED', undefined, {
    fieldErrors: [
      {
        path: 'reason',
        message: needsReason
          ? 'Say what the workspace must correct, or why the port is refused.'
          : 'A reason goes with action-required and cancelled only.',
      },
    ],
  });
}

/**
 * The carrier's progress. Repeating the current status changes nothing (a
 * retried call answers the same); any other move must follow the lifecycle,
 * and, when the report names the `updatedAt` of the version it acted on, the
 * workspace must not have corrected the request since (details the carrier
 * has not seen); its own reports in between do not count.
 */
export async function reportPortingStatus(
  workspaceId: string,
  portingRequestId: string,
  report: CarrierReport,
  context: RequestContext,
): Promise<PortingRequest> {
  const { item, workspace } = await readRequest(workspaceId, portingRequestId);
  if (item.status === report.status && (!withReason(report.status) || item.reason === report.reason))
    return toPortingRequest(item);
  if (!isOpen(item.status)) throw new AppError('PORTING_REQUEST_CLOSED');
  if (!carrierTransitions[item.status].includes(report.status) && item.status !== report.status)
    throw new AppError('PORTING_STATUS_CONFLICT');
  if (report.updatedAt !== undefined && item.correctedAt > report.updatedAt)
    throw new AppError(
      'CONCURRENT_UPDATE',
      'The request changed since you read it (the workspace corrected it): read it again, then report.',
    );
  const at = context.now.toISOString();
  if (report.status === 'completed') {
    const phoneNumberId = await complete(item, workspace, context);
    return toPortingRequest({ ...item, status: 'completed', reason: null, phoneNumberId, updatedAt: at });
  }
  const reason = withReason(report.status) ? (report.reason ?? null) : null;
  await transact([
    statusStep(item, report.status, reason, at),
    // A refused port gives its number's place back.
    ...(report.status === 'cancelled' ? [releasePortClaim(item)] : []),
    statusAudit(item, { status: report.status, reason }, context),
  ]);
  return toPortingRequest({ ...item, status: report.status, reason, updatedAt: at });
}
