/** Every key of the single table is built here; nowhere else spells a prefix. */

export const workspaceKey = (workspaceId: string) => ({ PK: `WS#${workspaceId}`, SK: 'WORKSPACE' });

export const memberKey = (workspaceId: string, userId: string) => ({
  PK: `WS#${workspaceId}`,
  SK: `MEMBER#${userId}`,
});

/** Members of a workspace on GSI1, sorted by name then user id. */
export const memberListKey = (workspaceId: string, name: string, userId: string) => ({
  GSI1PK: `WS#${workspaceId}#MEMBERS`,
  GSI1SK: `${name.toLocaleLowerCase('en')}#${userId}`,
});
export const memberListPartition = (workspaceId: string) => `WS#${workspaceId}#MEMBERS`;

/** The workspaces a user belongs to, under the user's own partition. */
export const membershipKey = (userId: string, workspaceId: string) => ({
  PK: `USER#${userId}`,
  SK: `WS#${workspaceId}`,
});
export const membershipPartition = (userId: string) => `USER#${userId}`;
export const membershipPrefix = 'WS#';

export const auditEventKey = (workspaceId: string, eventId: string) => ({
  PK: `WS#${workspaceId}`,
  SK: `EVENT#${eventId}`,
});
export const auditEventPrefix = 'EVENT#';
export const workspacePartition = (workspaceId: string) => `WS#${workspaceId}`;

export const idempotencyKey = (scope: string, key: string) => ({
  PK: `IDEMPOTENCY#${scope}`,
  SK: `KEY#${key}`,
});
