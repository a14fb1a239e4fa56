export const roles = ['owner', 'admin', 'member'] as const;
export type Role = (typeof roles)[number];

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
