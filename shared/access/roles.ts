export const roles = ['owner', 'admin', 'member'] as const;
export type Role = (typeof roles)[number];

/** A member's access to one number (product.md §4). */
export const numberAccessLevels = ['exclusive', 'shared', 'read-only'] as const;
export type NumberAccess = (typeof numberAccessLevels)[number];

export interface WorkspaceSettings {
  /** D1: whether members (not only owners and admins) may send invitations. */
  membersCanInvite: boolean;
  /** D2: whether admins may manage billing; only an owner changes it. */
  adminsCanManageBilling: boolean;
}

export const defaultSettings: WorkspaceSettings = {
  membersCanInvite: true,
  adminsCanManageBilling: false,
};
