import type { Role, WorkspaceSettings } from './domain/roles';
import { AppError } from './http/errors';

/**
 * The permission matrix of the product, as data: which roles hold each
 * permission. The decisions that depend on a workspace setting or on the
 * people involved (D1-D3) are the named rules below; `decide` applies both.
 */
export const permissionMatrix = {
  'messaging.use': ['owner', 'admin', 'member'],
  'contacts.manage': ['owner', 'admin', 'member'],
  'contacts.import': ['owner', 'admin', 'member'],
  'members.invite': ['owner', 'admin', 'member'],
  'members.remove': ['owner', 'admin'],
  'members.updateRole': ['owner', 'admin'],
  'billing.manage': ['owner'],
  'numbers.updateSettings': ['owner', 'admin'],
  'numbers.add': ['owner', 'admin'],
  'groups.create': ['owner', 'admin'],
  'integrations.configure': ['owner', 'admin'],
  'porting.manage': ['owner', 'admin'],
  'domains.manage': ['owner', 'admin'],
  'workspace.configure': ['owner', 'admin'],
  'owners.manage': ['owner'],
  'ownership.transfer': ['owner'],
  'audit.read': ['owner', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionMatrix;
export const permissions = Object.keys(permissionMatrix) as Permission[];

/** Rules that move a permission for one role according to a workspace setting. */
export const settingRules = [
  {
    rule: 'D1',
    permission: 'members.invite',
    role: 'member',
    setting: 'membersCanInvite',
    effect: 'revokedWhenOff',
  },
  {
    rule: 'D2',
    permission: 'billing.manage',
    role: 'admin',
    setting: 'adminsCanManageBilling',
    effect: 'grantedWhenOn',
  },
] as const satisfies readonly {
  rule: string;
  permission: Permission;
  role: Role;
  setting: keyof WorkspaceSettings;
  effect: 'revokedWhenOff' | 'grantedWhenOn';
}[];

/** Whether deciding `permission` for `role` needs the workspace's settings. */
export function dependsOnSettings(permission: Permission, role?: Role): boolean {
  return settingRules.some(
    (rule) => rule.permission === permission && (role === undefined || rule.role === role),
  );
}

export function hasPermission(role: Role, permission: Permission, settings: WorkspaceSettings): boolean {
  const rule = settingRules.find(
    (candidate) => candidate.permission === permission && candidate.role === role,
  );
  if (rule?.effect === 'grantedWhenOn') return settings[rule.setting];
  const inMatrix = (permissionMatrix[permission] as readonly Role[]).includes(role);
  if (rule?.effect === 'revokedWhenOff') return inMatrix && settings[rule.setting];
  return inMatrix;
}

export function permissionsOf(role: Role, settings: WorkspaceSettings): Permission[] {
  return permissions.filter((permission) => hasPermission(role, permission, settings));
}

/** Everything a request can ask the permission module to decide. */
export type AccessRequest =
  | { kind: 'permission'; actorRole: Role; permission: Permission; settings?: WorkspaceSettings }
  | {
      kind: 'roleChange';
      actorRole: Role;
      actorId: string;
      targetId: string;
      targetRole: Role;
      newRole: Role;
    }
  | { kind: 'removal'; actorRole: Role; actorId: string; targetId: string; targetRole: Role }
  | { kind: 'ownershipTransfer'; actorRole: Role; actorId: string; targetId: string; targetRole: Role }
  | { kind: 'settingsChange'; actorRole: Role; changes: Partial<WorkspaceSettings> }
  | {
      kind: 'invitation';
      actorRole: Role;
      settings: WorkspaceSettings;
      invitedRole: Role;
      /** Numbers the invitation would share, with the actor's own access to each (if any). */
      sharedNumbers: { id: string; actorAccess: NumberAccess | undefined }[];
      /** The access the invitation would give to those numbers. */
      grantedAccess?: NumberAccess;
    }
  | {
      kind: 'invitationManagement';
      action: 'resend' | 'revoke';
      actorRole: Role;
      actorId: string;
      inviterId: string;
      settings: WorkspaceSettings;
    };

export type NumberAccess = 'exclusive' | 'shared' | 'read-only';

export type Decision = { allowed: true } | { allowed: false; error: AppError };

const allow: Decision = { allowed: true };
const deny = (error: AppError): Decision => ({ allowed: false, error });

function permissionDenied(permission: Permission): AppError {
  return new AppError('ROLE_FORBIDDEN', `Your role does not have the ${permission} permission.`);
}

function requirePermission(role: Role, permission: Permission, settings?: WorkspaceSettings): Decision {
  if (settings === undefined && dependsOnSettings(permission, role)) {
    throw new Error(`Deciding ${permission} for ${role} needs the workspace settings`);
  }
  const allowed =
    settings === undefined
      ? (permissionMatrix[permission] as readonly Role[]).includes(role)
      : hasPermission(role, permission, settings);
  if (allowed) return allow;
  return deny(permission === 'owners.manage' ? new AppError('OWNER_REQUIRED') : permissionDenied(permission));
}

/** The one function that decides whether a request is allowed. */
export function decide(request: AccessRequest): Decision {
  switch (request.kind) {
    case 'permission':
      return requirePermission(request.actorRole, request.permission, request.settings);

    case 'roleChange': {
      const base = requirePermission(request.actorRole, 'members.updateRole');
      if (!base.allowed) return base;
      // D3: nobody changes their own role, except an owner stepping down
      // (the "another owner remains" half is enforced by the database).
      if (request.actorId === request.targetId && request.actorRole !== 'owner') {
        return deny(new AppError('OWN_ROLE_CHANGE'));
      }
      if (request.targetRole === 'owner' || request.newRole === 'owner') {
        return requirePermission(request.actorRole, 'owners.manage');
      }
      return allow;
    }

    case 'removal': {
      const base = requirePermission(request.actorRole, 'members.remove');
      if (!base.allowed) return base;
      if (request.actorId === request.targetId) {
        return deny(new AppError('CANNOT_TARGET_SELF', 'To leave a workspace, use the leave operation.'));
      }
      if (request.targetRole === 'owner') return requirePermission(request.actorRole, 'owners.manage');
      return allow;
    }

    case 'ownershipTransfer': {
      const base = requirePermission(request.actorRole, 'ownership.transfer');
      if (!base.allowed) return base;
      if (request.actorId === request.targetId) {
        return deny(new AppError('CANNOT_TARGET_SELF', 'Choose another member to transfer ownership to.'));
      }
      if (request.targetRole === 'owner') return deny(new AppError('ALREADY_OWNER'));
      return allow;
    }

    case 'settingsChange': {
      const base = requirePermission(request.actorRole, 'workspace.configure');
      if (!base.allowed) return base;
      // D2: only an owner decides whether admins may manage billing.
      if (request.changes.adminsCanManageBilling !== undefined && request.actorRole !== 'owner') {
        return deny(new AppError('OWNER_ONLY_SETTING', 'Only an owner can change adminsCanManageBilling.'));
      }
      return allow;
    }

    case 'invitation': {
      const base = requirePermission(request.actorRole, 'members.invite', request.settings);
      if (!base.allowed) return base;
      // D1: only an owner invites an owner; a member invites only members and
      // shares only numbers they have full (not read-only) access to.
      if (request.invitedRole === 'owner' && request.actorRole !== 'owner') {
        return deny(new AppError('OWNER_REQUIRED', 'Only an owner can invite an owner.'));
      }
      if (request.actorRole === 'member') {
        if (request.invitedRole !== 'member') {
          return deny(new AppError('ROLE_FORBIDDEN', 'Members can invite people only as members.'));
        }
        const lacking = request.sharedNumbers.filter(
          (number) => number.actorAccess === undefined || number.actorAccess === 'read-only',
        );
        // Exclusive access is one person's: a member cannot hand it to someone else.
        if (request.grantedAccess === 'exclusive') {
          return deny(
            new AppError(
              'NUMBER_ACCESS_REQUIRED',
              'Members can share numbers as shared or read-only, not exclusive.',
            ),
          );
        }
        if (lacking.length > 0) {
          return deny(
            new AppError(
              'NUMBER_ACCESS_REQUIRED',
              `Members can share only numbers they have full access to, which excludes ${lacking.map((number) => number.id).join(', ')}.`,
            ),
          );
        }
      }
      return allow;
    }

    case 'invitationManagement': {
      // Resending sends an invitation again, so it needs what sending needs (D1).
      if (request.action === 'resend') {
        const base = requirePermission(request.actorRole, 'members.invite', request.settings);
        if (!base.allowed) return base;
      }
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
}

/** `decide`, throwing the decision's error when the request is refused. */
export function enforce(request: AccessRequest): void {
  const decision = decide(request);
  if (!decision.allowed) throw decision.error;
}
