import { AppError } from '../core/errors';
import { hasPermission, holds, permissionDenied } from './permissions';
import { type NumberAccess, type Role, roles, type WorkspaceSettings } from './roles';

/**
 * The rules beyond the matrix: who may do a thing to whom (D1-D3 and the
 * owner rules). The route's own permission was decided before the operation
 * ran (`requirePermission`); these decide only what depends on the target,
 * the invited role, or the setting being changed.
 */
export type AccessRequest =
  | {
      kind: 'roleChange';
      actorRole: Role;
      actorId: string;
      targetId: string;
      targetRole: Role;
      newRole: Role;
    }
  | { kind: 'removal'; actorRole: Role; actorId: string; targetId: string; targetRole: Role }
  | { kind: 'ownershipTransfer'; actorId: string; targetId: string; targetRole: Role }
  | { kind: 'settingsChange'; actorRole: Role; changes: Partial<WorkspaceSettings> }
  | {
      kind: 'invitation';
      actorRole: Role;
      invitedRole: Role;
      /** Numbers the invitation would share, with the actor's own access to each (if any). */
      sharedNumbers: { id: string; actorAccess: NumberAccess | undefined }[];
      /** The access the invitation would give to those numbers. */
      grantedAccess?: NumberAccess;
    }
  | { kind: 'invitationManagement'; actorRole: Role; actorId: string; inviterId: string };

export type Decision = { allowed: true } | { allowed: false; error: AppError };

const allow: Decision = { allowed: true };
const deny = (error: AppError): Decision => ({ allowed: false, error });

/** The owner rule: changing an owner, or making one, needs `owners.manage`. */
function ownersManaged(actorRole: Role): Decision {
  return holds(actorRole, 'owners.manage', undefined) ? allow : deny(permissionDenied('owners.manage'));
}

/** D1 beyond `members.invite`: who may invite whom, and share which numbers. */
function decideInvitation(request: Extract<AccessRequest, { kind: 'invitation' }>): Decision {
  if (request.invitedRole === 'owner' && request.actorRole !== 'owner') {
    return deny(new AppError('OWNER_REQUIRED', 'Only an owner can invite an owner.'));
  }
  if (request.actorRole !== 'member') return allow;
  if (request.invitedRole !== 'member') {
    return deny(new AppError('ROLE_FORBIDDEN', 'Members can invite people only as members.'));
  }
  // Exclusive access is one person's: a member cannot hand it to someone else.
  if (request.grantedAccess === 'exclusive') {
    return deny(
      new AppError(
        'NUMBER_ACCESS_REQUIRED',
        'Members can share numbers as shared or read-only, not exclusive.',
      ),
    );
  }
  const lacking = request.sharedNumbers.filter(
    (number) => number.actorAccess === undefined || number.actorAccess === 'read-only',
  );
  if (lacking.length > 0) {
    return deny(
      new AppError(
        'NUMBER_ACCESS_REQUIRED',
        `Members can share only numbers they have full access to, which excludes ${lacking.map((number) => number.id).join(', ')}.`,
      ),
    );
  }
  return allow;
}

/** The one function that decides the rules beyond a route's permission. */
export function decide(request: AccessRequest): Decision {
  switch (request.kind) {
    case 'roleChange':
      // D3: nobody changes their own role, except an owner stepping down
      // (the "another owner remains" half is enforced by the database).
      if (request.actorId === request.targetId && request.actorRole !== 'owner') {
        return deny(new AppError('OWN_ROLE_CHANGE'));
      }
      if (request.targetRole === 'owner' || request.newRole === 'owner')
        return ownersManaged(request.actorRole);
      return allow;

    case 'removal':
      if (request.actorId === request.targetId) {
        return deny(new AppError('CANNOT_TARGET_SELF', 'To leave a workspace, use the leave operation.'));
      }
      if (request.targetRole === 'owner') return ownersManaged(request.actorRole);
      return allow;

    case 'ownershipTransfer':
      if (request.actorId === request.targetId) {
        return deny(new AppError('CANNOT_TARGET_SELF', 'Choose another member to transfer ownership to.'));
      }
      if (request.targetRole === 'owner') return deny(new AppError('ALREADY_OWNER'));
      return allow;

    case 'settingsChange':
      // D2: only an owner decides whether admins may manage billing.
      if (request.changes.adminsCanManageBilling !== undefined && request.actorRole !== 'owner') {
        return deny(new AppError('OWNER_ONLY_SETTING', 'Only an owner can change adminsCanManageBilling.'));
      }
      return allow;

    case 'invitation':
      return decideInvitation(request);

    case 'invitationManagement':
      if (request.actorRole === 'member' && request.actorId !== request.inviterId) {
        return deny(
          new AppError(
            'ROLE_FORBIDDEN',
            'Only the person who sent this invitation, an owner or an admin can resend or revoke it.',
          ),
        );
      }
      return allow;
  }
}

/** `decide`, throwing the decision's error when the request is refused. */
export function enforce(request: AccessRequest): void {
  const decision = decide(request);
  if (!decision.allowed) throw decision.error;
}

/**
 * The roles that may send an invitation with `invitedRole` under these
 * settings (D1 and `members.invite`): what an inviter must still hold when
 * the invitation is accepted.
 */
export function rolesThatMayInvite(invitedRole: Role, settings: WorkspaceSettings): Role[] {
  return roles.filter(
    (role) =>
      hasPermission(role, 'members.invite', settings) &&
      decideInvitation({ kind: 'invitation', actorRole: role, invitedRole, sharedNumbers: [] }).allowed,
  );
}
