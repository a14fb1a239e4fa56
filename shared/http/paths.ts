/** The contract's base path, and the workspace paths every feature's routes hang under. */
export const apiBasePath = '/v1';
export const workspacesPath = `${apiBasePath}/workspaces`;
export const workspacePath = `${workspacesPath}/{workspaceId}`;
