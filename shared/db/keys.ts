/** Every key of the single table is built here; nowhere else spells a prefix. */

export const workspaceKey = (workspaceId: string) => ({ PK: `WS#${workspaceId}`, SK: 'WORKSPACE' });

export const memberKey = (workspaceId: string, userId: string) => ({
  PK: `WS#${workspaceId}`,
  SK: `MEMBER#${userId}`,
});

/** The first 100 characters, lower-cased: with a 255-character id, well within a 1 KiB sort key. */
const sortableName = (name: string) => [...name.toLocaleLowerCase('en')].slice(0, 100).join('');

/**
 * Members of a workspace on GSI1, sorted by name then user id. The separator
 * sorts below any character of a name (names carry no control characters), so
 * "Ann" comes before "Ann Lee".
 */
export const memberListKey = (workspaceId: string, name: string, userId: string) => ({
  GSI1PK: `WS#${workspaceId}#MEMBERS`,
  GSI1SK: `${sortableName(name)}\u0001${userId}`,
});
export const memberListPartition = (workspaceId: string) => `WS#${workspaceId}#MEMBERS`;

/** The same list split by role on GSI2, so that `?role=` reads only that role's members. */
export const memberRolePartition = (workspaceId: string, role: string) => `WS#${workspaceId}#ROLE#${role}`;
export const memberRoleListKey = (workspaceId: string, role: string, name: string, userId: string) => ({
  GSI2PK: memberRolePartition(workspaceId, role),
  GSI2SK: memberListKey(workspaceId, name, userId).GSI1SK,
});

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

/**
 * Who holds an email address in a workspace: a member, or a pending
 * invitation. One item per address makes "already a member" and "already
 * invited" conditions of the same write, whatever races.
 */
export const addressKey = (workspaceId: string, email: string) => ({
  PK: `WS#${workspaceId}`,
  SK: `ADDRESS#${email}`,
});

export const invitationKey = (workspaceId: string, invitationId: string) => ({
  PK: `WS#${workspaceId}`,
  SK: `INVITATION#${invitationId}`,
});
export const invitationPrefix = 'INVITATION#';

/** A pending invitation on GSI1 under the invited address, for "my invitations". */
export const inviteeListKey = (email: string, createdAt: string, invitationId: string) => ({
  GSI1PK: `INVITEE#${email}`,
  GSI1SK: `${createdAt}#${invitationId}`,
});
export const inviteePartition = (email: string) => `INVITEE#${email}`;

/** Finds an invitation from its link: keyed by the token's SHA-256, never the token. */
export const invitationTokenKey = (tokenHash: string) => ({
  PK: `INVITATION_TOKEN#${tokenHash}`,
  SK: 'INVITATION_TOKEN',
});

/** Invitations sent by a workspace within one clock hour (the abuse limit). */
export const invitationRateKey = (workspaceId: string, hour: string) => ({
  PK: `WS#${workspaceId}`,
  SK: `INVITATION_RATE#${hour}`,
});

export const phoneNumberKey = (workspaceId: string, phoneNumberId: string) => ({
  PK: `WS#${workspaceId}`,
  SK: `NUMBER#${phoneNumberId}`,
});

/** Invitations sent by one person within one clock hour, across workspaces (the abuse limit). */
export const inviterRateKey = (userId: string, hour: string) => ({
  PK: `USER#${userId}`,
  SK: `INVITATION_RATE#${hour}`,
});
