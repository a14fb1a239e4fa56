import { AppError } from '../core/errors';
import type { Role, WorkspaceSettings } from './roles';

/**
 * The permission matrix of the product, as data: which roles hold each
 * permission. Two cells move with a workspace setting (D1, D2: `settingRules`).
 * A route names one permission and the request is decided on it once;
 * `decide` (rules.ts) adds only the rules about the people involved.
 */
const permissionMatrix = {
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

export const isPermission = (value: string): value is Permission => Object.hasOwn(permissionMatrix, value);

/** Rules that move a permission for one role according to a workspace setting. */
const settingRules = [
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

/** The matrix's own cell, before any setting rule. */
export const matrixAllows = (role: Role, permission: Permission) =>
  (permissionMatrix[permission] as readonly Role[]).includes(role);

/** The setting rule that moves this cell, if any. */
export const settingRuleFor = (role: Role, permission: Permission) =>
  settingRules.find((candidate) => candidate.permission === permission && candidate.role === role);

/** Whether deciding `permission` for `role` (any role when absent) needs the workspace's settings. */
export function dependsOnSettings(permission: Permission, role?: Role): boolean {
  return settingRules.some(
    (rule) => rule.permission === permission && (role === undefined || rule.role === role),
  );
}

export function hasPermission(role: Role, permission: Permission, settings: WorkspaceSettings): boolean {
  const rule = settingRuleFor(role, permission);
  if (rule?.effect === 'grantedWhenOn') return settings[rule.setting];
  if (rule?.effect === 'revokedWhenOff') return matrixAllows(role, permission) && settings[rule.setting];
  return matrixAllows(role, permission);
}

export function permissionsOf(role: Role, settings: WorkspaceSettings): Permission[] {
  return permissions.filter((permission) => hasPermission(role, permission, settings));
}

/** The error a role lacking `permission` gets. */
export function permissionDenied(permission: Permission): AppError {
  if (permission === 'owners.manage') return new AppError('OWNER_REQUIRED');
  return new AppError('ROLE_FORBIDDEN', `Your role does not have the ${permission} permission.`);
}

/**
 * Whether `role` holds `permission`. The settings are needed only where a
 * setting moves the cell: deciding such a cell without them is a bug.
 */
export function holds(role: Role, permission: Permission, settings: WorkspaceSettings | undefined): boolean {
  if (settings !== undefined) return hasPermission(role, permission, settings);
  if (dependsOnSettings(permission, role)) {
    throw new Error(`Deciding ${permission} for ${role} needs the workspace settings`);
  }
  return matrixAllows(role, permission);
}

/** The route's one permission decision: throws 403 when the role does not hold it. */
export function requirePermission(
  role: Role,
  permission: Permission,
  settings: WorkspaceSettings | undefined,
): void {
  if (!holds(role, permission, settings)) throw permissionDenied(permission);
}
