import { workspaceIsActive } from '../../access/guards';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { Caller, RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { batchGetConsistent, itemAt } from '../../db/batch';
import { addressKey, joinRequestKey, memberKey, verifiedDomainKey, workspaceKey } from '../../db/keys';
import { oneOf, type TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { billedTransact } from '../billing/account';
import type { InvitationItem } from '../invitations/items';
import { givesOnlyAMemberSeat, invitationUsedByJoin, pendingInvitation } from '../invitations/used-by-join';
import { type AddressItem, type Member, memberTarget, toMember } from '../members/items';
import { joinSteps } from '../members/steps';
import { domainsMatching } from './addresses';
import {
  type JoinRequest,
  type JoinRequestItem,
  joinRequestRecord,
  joinRequestTarget,
  toJoinRequest,
  type VerifiedDomainItem,
} from './items';
import { decideRequest, memberFromRequest } from './requests';

interface DomainMatch {
  holder: VerifiedDomainItem;
  /** The address is at the domain itself, not at a subdomain of it. */
  exact: boolean;
}

/** Whether a verified holder item's scope takes in an address: its own domain, or a subdomain when switched on. */
export const covers = (
  holder: VerifiedDomainItem | undefined,
  exact: boolean,
): holder is VerifiedDomainItem =>
  holder !== undefined && holder.status === 'verified' && (exact || holder.includeSubdomains);

/** Whether a holder item lets an address in: it covers it, and joining through it is on. */
export const admits = (
  holder: VerifiedDomainItem | undefined,
  exact: boolean,
): holder is VerifiedDomainItem => covers(holder, exact) && holder.joinPolicy !== 'off';

/**
 * Of the holder items read, the one of this workspace that decides for the
 * address: the most specific verified domain whose scope covers it (its own
 * domain, or a parent with includeSubdomains). Its policy stands: `off` on
 * eu.acme.com is not bypassed through acme.com.
 */
function matchIn(
  found: Record<string, unknown>[],
  email: string,
  workspaceId: string,
): DomainMatch | undefined {
  for (const candidate of domainsMatching(email)) {
    const holder = itemAt(found, verifiedDomainKey(candidate.domain)) as VerifiedDomainItem | undefined;
    if (holder?.workspaceId === workspaceId && covers(holder, candidate.exact)) {
      return admits(holder, candidate.exact) ? { holder, exact: candidate.exact } : undefined;
    }
  }
  return undefined;
}

/**
 * The condition, on the holder item, that the domain still lets this address
 * in with the policy the decision was made on, at the write itself.
 */
function stillAdmits(match: DomainMatch, policies: readonly string[]): TransactStep {
  const policyIn = oneOf('joinPolicy', 'policy', policies);
  const values = { ':workspace': match.holder.workspaceId, ':verified': 'verified', ...policyIn.values };
  return {
    check: {
      Key: verifiedDomainKey(match.holder.domain),
      ConditionExpression: `workspaceId = :workspace AND #status = :verified AND ${policyIn.expression}${
        match.exact ? '' : ' AND includeSubdomains = :true'
      }`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: match.exact ? values : { ...values, ':true': true },
    },
    onConditionFailed: () => new AppError('DOMAIN_NOT_JOINABLE'),
  };
}

/**
 * The person's pending invitation to the workspace, read only when their
 * address item says they have one. Joining through the domain uses it up when
 * it gives no more than the join (a member's seat, a number to pick); one
 * that gives more (another role, shared numbers) is what they should accept:
 * the join is refused (409 `INVITATION_PENDING`) rather than lose it.
 */
async function usableInvitation(
  address: AddressItem | undefined,
  workspaceId: string,
  now: Date,
): Promise<InvitationItem | undefined> {
  if (address?.holder !== 'invitation' || Date.parse(address.validUntil) <= now.getTime()) return undefined;
  const invitation = await pendingInvitation(workspaceId, address.invitationId, now);
  if (invitation && !givesOnlyAMemberSeat(invitation)) throw new AppError('INVITATION_PENDING');
  return invitation;
}

/**
 * A person becomes a Member through a verified domain, in one transaction
 * with the invariants of an accepted invitation: the member only if absent,
 * the membership pointer, the address (taken from their pending invitation,
 * which is used up, if they have one), the counts, the domain still letting
 * them in, and `member.joined` with `method: "domain"`.
 */
function domainJoinSteps(
  member: MemberItem,
  match: DomainMatch,
  invitation: InvitationItem | undefined,
  context: RequestContext,
  extra: { after: Record<string, unknown>; policies: readonly string[] },
): TransactStep[] {
  return [
    ...joinSteps(member, {
      takenFrom: invitation ? { invitationId: invitation.id } : { freeAt: context.now.toISOString() },
    }),
    stillAdmits(match, extra.policies),
    ...(invitation ? invitationUsedByJoin(invitation, member.userId, context, 'domain') : []),
    auditStep({
      ...context,
      workspaceId: member.workspaceId,
      action: 'member.joined',
      target: memberTarget(member),
      before: null,
      after: {
        role: member.role,
        method: 'domain',
        domain: match.holder.domain,
        ...(invitation ? { invitationId: invitation.id } : {}),
        ...extra.after,
      },
    }),
  ];
}

/** What a join reads, in one request: the domains that may match, the workspace, and the caller there. */
async function readForJoin(workspaceId: string, caller: Caller) {
  const keys = {
    workspace: workspaceKey(workspaceId),
    member: memberKey(workspaceId, caller.userId),
    request: joinRequestKey(workspaceId, caller.userId),
    address: addressKey(workspaceId, caller.email),
  };
  const candidates = domainsMatching(caller.email);
  // An address no domain can match reads nothing: the workspace is not found for this person.
  if (candidates.length === 0) throw new AppError('WORKSPACE_NOT_FOUND');
  const found = await batchGetConsistent([
    ...candidates.map((candidate) => verifiedDomainKey(candidate.domain)),
    ...Object.values(keys),
  ]);
  return {
    match: matchIn(found, caller.email, workspaceId),
    workspace: itemAt(found, keys.workspace) as WorkspaceItem | undefined,
    member: itemAt(found, keys.member) as MemberItem | undefined,
    request: itemAt(found, keys.request) as JoinRequestItem | undefined,
    address: itemAt(found, keys.address) as AddressItem | undefined,
  };
}

export type JoinOutcome = { joined: Member } | { requested: JoinRequest };

/**
 * "Join existing workspace": at once as a Member (`automatic`), or a request
 * an Owner or Admin answers (`approval`). 404 unless one of the workspace's
 * verified domains lets the caller's address in; the address must be
 * verified by the identity provider at this very request.
 */
export async function joinWorkspace(workspaceId: string, context: RequestContext): Promise<JoinOutcome> {
  const { caller, now } = context;
  const { match, workspace, member, request, address } = await readForJoin(workspaceId, caller);
  if (!match || !workspace) throw new AppError('WORKSPACE_NOT_FOUND');
  if (!caller.emailVerified) throw new AppError('EMAIL_NOT_VERIFIED');
  if (member) throw new AppError('ALREADY_MEMBER');
  if (workspace.status !== 'active') throw new AppError('WORKSPACE_INACTIVE');
  const at = now.toISOString();

  const invitation = await usableInvitation(address, workspaceId, now);

  if (match.holder.joinPolicy === 'approval') {
    if (request?.status === 'pending') throw new AppError('JOIN_REQUEST_PENDING');
    // Invited already: nobody needs to approve what the invitation gives.
    if (invitation) throw new AppError('INVITATION_PENDING');
    const item: JoinRequestItem = {
      workspaceId,
      userId: caller.userId,
      email: caller.email,
      name: caller.name,
      domain: match.holder.domain,
      status: 'pending',
      createdAt: at,
    };
    await transact([
      {
        put: {
          Item: joinRequestRecord(item),
          // One pending request per person; a decided one gives way to a new request.
          ConditionExpression: 'attribute_not_exists(PK) OR #status <> :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        },
        onConditionFailed: () => new AppError('JOIN_REQUEST_PENDING'),
      },
      {
        check: {
          Key: memberKey(workspaceId, caller.userId),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
        onConditionFailed: () => new AppError('ALREADY_MEMBER'),
      },
      stillAdmits(match, ['approval']),
      workspaceIsActive(workspaceId),
      auditStep({
        ...context,
        workspaceId,
        action: 'joinRequest.created',
        target: joinRequestTarget(item),
        before: null,
        after: { status: 'pending', email: item.email, domain: item.domain },
      }),
    ]);
    return { requested: toJoinRequest(item) };
  }

  const joiner: MemberItem = {
    ...memberFromRequest({ workspaceId, userId: caller.userId, email: caller.email, name: caller.name }, at),
    lastActiveAt: at,
  };
  // A request left pending from when the domain asked for approval is answered by the join itself, by nobody.
  const answered =
    request?.status === 'pending' ? decideRequest(request, 'approved', context, { by: null }).steps : [];
  // The seat is billed in the join's own transaction.
  await billedTransact(workspaceId, { seats: 1 }, memberTarget(joiner), context, [
    ...domainJoinSteps(joiner, match, invitation, context, { after: {}, policies: ['automatic'] }),
    ...answered,
  ]);
  return { joined: toMember(joiner) };
}

/** An Owner or Admin lets a requester in: they become a Member, if the domain still lets them in. */
export async function approveJoinRequest(item: JoinRequestItem, context: RequestContext): Promise<Member> {
  if (item.status !== 'pending') throw new AppError('JOIN_REQUEST_NOT_PENDING');
  const keys = {
    member: memberKey(item.workspaceId, item.userId),
    address: addressKey(item.workspaceId, item.email),
  };
  const found = await batchGetConsistent([verifiedDomainKey(item.domain), ...Object.values(keys)]);
  if (itemAt(found, keys.member)) throw new AppError('ALREADY_MEMBER');
  const match = matchIn(found, item.email, item.workspaceId);
  if (!match) throw new AppError('DOMAIN_NOT_JOINABLE');
  const address = itemAt(found, keys.address) as AddressItem | undefined;
  const invitation = await usableInvitation(address, item.workspaceId, context.now);
  const at = context.now.toISOString();
  const joiner = memberFromRequest(item, at);
  await billedTransact(item.workspaceId, { seats: 1 }, memberTarget(joiner), context, [
    ...decideRequest(item, 'approved', context).steps,
    ...domainJoinSteps(joiner, match, invitation, context, {
      after: { approvedBy: context.caller.userId },
      policies: ['automatic', 'approval'],
    }),
  ]);
  return toMember(joiner);
}
