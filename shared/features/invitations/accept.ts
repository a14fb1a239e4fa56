import { planCondition, requireActive } from '../../access/guards';
import { rolesThatMayInvite } from '../../access/rules';
import type { MemberItem, WorkspaceItem } from '../../access/tenancy';
import type { Caller, RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { invitationKey, memberKey } from '../../db/keys';
import { oneOf, type TransactStep } from '../../db/steps';
import { auditStep } from '../audit/events';
import { billedTransact } from '../billing/account';
import { type Member, memberTarget, toMember } from '../members/items';
import { bothConditions, joinSteps, type WorkspaceCondition } from '../members/steps';
import { type NumberNotShared, sharedOnAccept } from '../numbers/share';
import { authorityOf, type InvitationItem, maskEmail, statusOf } from './items';
import { findByToken, findForInvitee, type InvitationReference, invitationNotFound } from './lookup';
import { closeInvitation, invitationTarget, unchangedSince } from './records';

/** Who may accept (403 first), then whether the invitation can still be accepted (409, 410). */
function requireAcceptable(item: InvitationItem, caller: Caller, now: Date): void {
  const invited = maskEmail(item.email);
  if (item.email !== caller.email) {
    throw new AppError(
      'INVITATION_EMAIL_MISMATCH',
      `This invitation was sent to ${invited}; sign in with that address to accept it.`,
    );
  }
  if (!caller.emailVerified) {
    throw new AppError(
      'EMAIL_NOT_VERIFIED',
      `Verify your email address (${invited}) with your sign-in provider, then accept the invitation.`,
    );
  }
  const status = statusOf(item, now);
  // Whoever accepted it (perhaps this person, since removed), a link works once.
  if (status === 'accepted')
    throw new AppError('INVITATION_NOT_PENDING', 'This invitation was already accepted.');
  if (status === 'expired') throw new AppError('INVITATION_EXPIRED');
}

const inviterNoLongerAllowed = () => new AppError('INVITER_NO_LONGER_ALLOWED');

/**
 * D1 as the invitation's authority stands at accept time: the member who
 * sent it (or resent it last) must still hold a role that may invite with
 * this role under the settings read, and, if that role is member, still hold
 * each shared number with use access. These are conditions of the accept's
 * own transaction, so a demotion, a removal or a lost number racing the
 * accept ends in one order or the other, never in an invitation outliving its
 * authority.
 */
function authorityStillHolds(
  item: InvitationItem,
  workspace: WorkspaceItem,
  caller: Caller,
  sharedNow: string[],
): { check: TransactStep; settingUnchanged?: WorkspaceCondition } {
  const authority = authorityOf(item);
  // Someone no longer a member (they are joining now) vouches for no one.
  if (authority === caller.userId) throw inviterNoLongerAllowed();
  const allowed = rolesThatMayInvite(item.role, workspace.settings);
  const values: Record<string, unknown> = {};
  const roleIn = (name: string, candidates: readonly string[]) => {
    const condition = oneOf('#role', name, candidates);
    Object.assign(values, condition.values);
    return condition.expression;
  };
  let expression = roleIn(
    'role',
    allowed.filter((role) => role !== 'member'),
  );
  const names: Record<string, string> = { '#role': 'role' };
  if (allowed.includes('member')) {
    // Only the numbers this accept shares: one released meanwhile is listed as not shared, and blocks nothing.
    const held = sharedNow.map((id, index) => {
      names[`#shared${index}`] = id;
      return `numberAccess.#shared${index}.access IN (:exclusive, :shared)`;
    });
    if (held.length) Object.assign(values, { ':exclusive': 'exclusive', ':shared': 'shared' });
    expression = `${expression} OR (${[roleIn('memberRole', ['member']), ...held].join(' AND ')})`;
  }
  const check: TransactStep = {
    check: {
      Key: memberKey(item.workspaceId, authority),
      ConditionExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
    onConditionFailed: inviterNoLongerAllowed,
  };
  // A member may stand behind it only while members may invite: that setting must not be turned off meanwhile.
  if (!allowed.includes('member')) return { check };
  return {
    check,
    settingUnchanged: {
      expression: 'settings.membersCanInvite = :membersCanInvite',
      names: {},
      values: { ':membersCanInvite': true },
      error: () => new AppError('CONCURRENT_UPDATE'),
    },
  };
}

/**
 * The invited person joins, in one transaction: the invitation turns accepted
 * only if still pending, unexpired and unchanged; its authority still holds
 * D1; the membership is created only if absent; the counts move; both audit
 * events are written.
 */
export async function acceptInvitation(
  reference: InvitationReference,
  context: RequestContext,
): Promise<{ workspace: { id: string; name: string }; member: Member; numbersNotShared: NumberNotShared[] }> {
  const { caller, now } = context;
  const { item, workspace } =
    'token' in reference ? await findByToken(reference.token) : await findForInvitee(reference, caller);
  if (!workspace) throw invitationNotFound();
  requireAcceptable(item, caller, now);
  requireActive(workspace);
  for (let attempt = 1; ; attempt++) {
    try {
      return await acceptOnce(item, workspace, reference, context);
    } catch (error) {
      // A share that another accept or grant made impossible meanwhile: read the numbers again, list it as not shared.
      const raced = error instanceof AppError && numberRaces.has(error.code);
      if (!raced || attempt >= 3) throw error;
    }
  }
}

const numberRaces = new Set(['NUMBER_ACCESS_CONFLICT', 'NUMBER_MEMBER_LIMIT', 'NUMBER_NOT_FOUND']);

async function acceptOnce(
  item: InvitationItem,
  workspace: WorkspaceItem,
  reference: InvitationReference,
  context: RequestContext,
) {
  const { caller, now } = context;
  const at = now.toISOString();
  const { workspaceId } = item;
  const assignment = item.phoneAssignment;
  const member: MemberItem = {
    workspaceId,
    userId: caller.userId,
    email: caller.email,
    name: caller.name,
    role: item.role,
    numberAccess: {},
    lastActiveAt: at,
    joinedAt: at,
    ...(assignment.mode === 'new' ? { pendingNumberChoice: true } : {}),
  };
  const shares =
    assignment.mode === 'share'
      ? await sharedOnAccept(workspace, member, assignment.numbers, assignment.access, at)
      : { steps: [], held: {}, notShared: [] };
  member.numberAccess = shares.held;
  const authority = authorityStillHolds(item, workspace, caller, Object.keys(shares.held));
  const unchanged = unchangedSince(item);
  // Shares count against the plan's members per number: the plan must hold until the accept commits.
  const planHeld = shares.steps.length
    ? { ...planCondition(workspace.plan), error: () => new AppError('CONCURRENT_UPDATE') }
    : undefined;
  const workspaceHolds = bothConditions(authority.settingUnchanged, planHeld);

  // The seat is billed in the accept's own transaction.
  await billedTransact(workspace, { seats: 1 }, memberTarget(member), context, [
    {
      update: {
        Key: invitationKey(workspaceId, item.id),
        UpdateExpression: `SET #status = :accepted, acceptedAt = :now, acceptedBy = :user ${closeInvitation}`,
        ConditionExpression: `${unchanged.ConditionExpression} AND validUntil > :now`,
        ExpressionAttributeNames: unchanged.names,
        ExpressionAttributeValues: {
          ...unchanged.values,
          ':accepted': 'accepted',
          ':now': at,
          ':user': caller.userId,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      onConditionFailed: (current) => {
        // Resent meanwhile: this link died (as unknown as any dead link); by id, the accept only raced.
        if (current?.status === 'pending' && current.tokenHash !== item.tokenHash) {
          return 'token' in reference ? invitationNotFound() : new AppError('CONCURRENT_UPDATE');
        }
        if (current?.status === 'pending') return new AppError('INVITATION_EXPIRED');
        return unchanged.onConditionFailed(current);
      },
    },
    // The address passes from the invitation to the member.
    ...joinSteps(member, {
      takenFrom: { invitationId: item.id },
      ...(workspaceHolds ? { also: workspaceHolds } : {}),
    }),
    authority.check,
    ...shares.steps,
    auditStep({
      ...context,
      workspaceId,
      action: 'invitation.accepted',
      target: invitationTarget(item),
      before: { status: 'pending' },
      after: { status: 'accepted', userId: caller.userId },
    }),
    auditStep({
      ...context,
      workspaceId,
      action: 'member.joined',
      target: memberTarget(member),
      before: null,
      after: {
        role: member.role,
        method: 'invitation',
        invitationId: item.id,
        invitedBy: item.invitedBy.userId,
        ...(assignment.mode === 'share'
          ? { numbersShared: Object.keys(shares.held), numbersNotShared: shares.notShared }
          : {}),
      },
    }),
  ]);
  return {
    workspace: { id: workspaceId, name: workspace.name },
    member: toMember(member),
    numbersNotShared: shares.notShared,
  };
}
