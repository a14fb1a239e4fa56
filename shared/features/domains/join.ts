import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { Caller, RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { batchGetConsistent, itemAt } from '../../db/batch';
import { addressKey, joinRequestKey, memberKey, verifiedDomainKey, workspaceKey } from '../../db/keys';
import type { TransactStep } from '../../db/steps';
import { transact } from '../../db/transact';
import { auditStep } from '../audit/events';
import { invitationUsedByJoin } from '../invitations/superseded';
import type { AddressItem } from '../members/items';
import { type Member, memberTarget, toMember } from '../members/items';
import { joinSteps } from '../members/steps';
import {
  type JoinRequest,
  type JoinRequestItem,
  joinRequestRecord,
  joinRequestTarget,
  toJoinRequest,
  type VerifiedDomainItem,
} from './items';
import { domainsMatching } from './names';
import { decideRequest, memberFromRequest } from './requests';

interface DomainMatch {
  holder: VerifiedDomainItem;
  /** The address is at the domain itself, not at a subdomain of it. */
  exact: boolean;
}

/** Whether a holder item lets an address in: verified, joining on, and the subdomain switch where needed. */
export const admits = (
  holder: VerifiedDomainItem | undefined,
  exact: boolean,
): holder is VerifiedDomainItem =>
  holder !== undefined &&
  holder.status === 'verified' &&
  holder.joinPolicy !== 'off' &&
  (exact || holder.includeSubdomains);

/** Of the holder items read, the most specific one of this workspace that lets the address in. */
function matchIn(
  found: Record<string, unknown>[],
  email: string,
  workspaceId: string,
): DomainMatch | undefined {
  for (const candidate of domainsMatching(email)) {
    const holder = itemAt(found, verifiedDomainKey(candidate.domain)) as VerifiedDomainItem | undefined;
    if (holder?.workspaceId === workspaceId && admits(holder, candidate.exact)) {
      return { holder, exact: candidate.exact };
    }
  }
  return undefined;
}

/**
 * The condition, on the holder item, that the domain still lets this address
 * in with the policy the decision was made on, at the write itself.
 */
function stillAdmits(match: DomainMatch, policies: readonly string[]): TransactStep {
  const values: Record<string, unknown> = { ':workspace': match.holder.workspaceId, ':verified': 'verified' };
  policies.forEach((policy, index) => {
    values[`:policy${index}`] = policy;
  });
  const policyIn = policies.map((_, index) => `:policy${index}`).join(', ');
  return {
    check: {
      Key: verifiedDomainKey(match.holder.domain),
      ConditionExpression: `workspaceId = :workspace AND #status = :verified AND joinPolicy IN (${policyIn})${
        match.exact ? '' : ' AND includeSubdomains = :true'
      }`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: match.exact ? values : { ...values, ':true': true },
    },
    onConditionFailed: () => new AppError('DOMAIN_NOT_JOINABLE'),
  };
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
  address: AddressItem | undefined,
  context: RequestContext,
  extra: { after: Record<string, unknown>; policies: readonly string[] },
): TransactStep[] {
  const { now } = context;
  const invitation =
    address?.holder === 'invitation' && Date.parse(address.validUntil) > now.getTime() ? address : undefined;
  return [
    ...joinSteps(member, {
      takenFrom: invitation ? { invitationId: invitation.invitationId } : { freeAt: now.toISOString() },
    }),
    stillAdmits(match, extra.policies),
    ...(invitation
      ? invitationUsedByJoin(member.workspaceId, invitation.invitationId, member.userId, context, 'domain')
      : []),
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
        ...(invitation ? { invitationId: invitation.invitationId } : {}),
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

  if (match.holder.joinPolicy === 'approval') {
    if (request?.status === 'pending') throw new AppError('JOIN_REQUEST_PENDING');
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
  // A request left pending from when the domain asked for approval is answered by the join itself.
  const answered = request?.status === 'pending' ? decideRequest(request, 'approved', context).steps : [];
  await transact([
    ...domainJoinSteps(joiner, match, address, context, { after: {}, policies: ['automatic'] }),
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
  const at = context.now.toISOString();
  const joiner = memberFromRequest(item, at);
  await transact([
    ...decideRequest(item, 'approved', context).steps,
    ...domainJoinSteps(joiner, match, itemAt(found, keys.address) as AddressItem | undefined, context, {
      after: { approvedBy: context.caller.userId },
      policies: ['automatic', 'approval'],
    }),
  ]);
  return toMember(joiner);
}
