export const workspacesPath = '/v1/workspaces';
export const workspacePath = `${workspacesPath}/{workspaceId}`;
export const memberPath = `${workspacePath}/members/{userId}`;
export const invitationsPath = `${workspacePath}/invitations`;
export const invitationPath = `${invitationsPath}/{invitationId}`;
