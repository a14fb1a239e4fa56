/**
 * Every key of the single table is built here, from this one registry of
 * prefixes: each is written once, so two item types can never share one.
 */
const prefix = {
  workspace: 'WS#',
  user: 'USER#',
  member: 'MEMBER#',
  members: '#MEMBERS',
  role: '#ROLE#',
  event: 'EVENT#',
  eventsByAction: '#EVENTS#ACTION#',
  eventsByActor: '#EVENTS#ACTOR#',
  actionOfActor: '#ACTION#',
  idempotency: 'IDEMPOTENCY#',
  idempotencyKey: 'KEY#',
  address: 'ADDRESS#',
  invitation: 'INVITATION#',
  invitee: 'INVITEE#',
  invitationToken: 'INVITATION_TOKEN#',
  invitationRate: 'INVITATION_RATE#',
  phoneNumber: 'NUMBER#',
  e164: 'E164#',
  departure: 'DEPARTURE#',
  portingRequest: 'PORTING#',
  ledgerLine: 'LEDGER#',
  renewals: '#RENEWALS',
  portingRequests: '#PORTING_REQUESTS#',
  outbox: 'OUTBOX#',
  suppressed: 'SUPPRESSED#',
  domainClaim: 'DOMAIN#',
  claimedDomains: '#CLAIMED_DOMAINS',
  verifiedDomain: 'VERIFIED_DOMAIN#',
  joinRequest: 'JOIN_REQUEST#',
  joinRequests: '#JOIN_REQUESTS',
  job: 'JOB#',
} as const;

/** The sort key of the workspace item itself, and of the token item (one per partition). */
const singleton = {
  workspace: 'WORKSPACE',
  invitationToken: 'INVITATION_TOKEN',
  outbox: 'MESSAGE',
  verifiedDomain: 'HOLDER',
  job: 'CHECKPOINT',
  e164: 'NUMBER',
  billing: 'BILLING',
} as const;

export const workspacePartition = (workspaceId: string) => `${prefix.workspace}${workspaceId}`;
export const membershipPartition = (userId: string) => `${prefix.user}${userId}`;
/** The workspace whose partition this is (for maintenance scripts that read items raw). */
export const workspaceIdOf = (partition: string) => partition.slice(prefix.workspace.length);

export const workspaceKey = (workspaceId: string) => ({
  PK: workspacePartition(workspaceId),
  SK: singleton.workspace,
});

export const memberKey = (workspaceId: string, userId: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.member}${userId}`,
});

/** The first 100 characters, lower-cased: with a 255-character id, well within a 1 KiB sort key. */
const sortableName = (name: string) => [...name.toLocaleLowerCase('en')].slice(0, 100).join('');
/**
 * Sorted by name then user id. The separator sorts below any character of a
 * name (names carry no control characters), so "Ann" comes before "Ann Lee".
 */
const memberSortKey = (name: string, userId: string) => `${sortableName(name)}\u0001${userId}`;

/** Members of a workspace on GSI1, sorted by name then user id. */
export const memberListPartition = (workspaceId: string) =>
  `${workspacePartition(workspaceId)}${prefix.members}`;
export const memberListKey = (workspaceId: string, name: string, userId: string) => ({
  GSI1PK: memberListPartition(workspaceId),
  GSI1SK: memberSortKey(name, userId),
});

/** The same list split by role on GSI2, so that `?role=` reads only that role's members. */
export const memberRolePartition = (workspaceId: string, role: string) =>
  `${workspacePartition(workspaceId)}${prefix.role}${role}`;
export const memberRoleListKey = (workspaceId: string, role: string, name: string, userId: string) => ({
  GSI2PK: memberRolePartition(workspaceId, role),
  GSI2SK: memberSortKey(name, userId),
});

/** The workspaces a user belongs to, under the user's own partition. */
export const membershipKey = (userId: string, workspaceId: string) => ({
  PK: membershipPartition(userId),
  SK: workspacePartition(workspaceId),
});
/** Sort keys of a user's partition that are memberships. */
export const membershipPrefix = prefix.workspace;

export const auditEventKey = (workspaceId: string, eventId: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.event}${eventId}`,
});
export const auditEventPrefix = prefix.event;

/**
 * Sparse index keys written with each audit event, so that a list filtered by
 * action, by actor or by both is one Query of its own partition (newest first:
 * event ids sort by time), never a filtered read of the whole log.
 */
export const auditActionPartition = (workspaceId: string, action: string) =>
  `${workspacePartition(workspaceId)}${prefix.eventsByAction}${action}`;
export const auditActorPartition = (workspaceId: string, userId: string) =>
  `${workspacePartition(workspaceId)}${prefix.eventsByActor}${userId}`;
export const auditActorActionPartition = (workspaceId: string, userId: string, action: string) =>
  `${auditActorPartition(workspaceId, userId)}${prefix.actionOfActor}${action}`;
export const auditEventIndexKeys = (workspaceId: string, eventId: string, action: string, actor: string) => ({
  GSI1PK: auditActionPartition(workspaceId, action),
  GSI1SK: eventId,
  GSI2PK: auditActorPartition(workspaceId, actor),
  GSI2SK: eventId,
  GSI3PK: auditActorActionPartition(workspaceId, actor, action),
  GSI3SK: eventId,
});

export const idempotencyKey = (scope: string, key: string) => ({
  PK: `${prefix.idempotency}${scope}`,
  SK: `${prefix.idempotencyKey}${key}`,
});

/**
 * Who holds an email address in a workspace: a member, or a pending
 * invitation. One item per address makes "already a member" and "already
 * invited" conditions of the same write, whatever races.
 */
export const addressKey = (workspaceId: string, email: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.address}${email}`,
});

export const invitationKey = (workspaceId: string, invitationId: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.invitation}${invitationId}`,
});
export const invitationPrefix = prefix.invitation;

/** A pending invitation on GSI1 under the invited address, for "my invitations". */
export const inviteePartition = (email: string) => `${prefix.invitee}${email}`;
export const inviteeListKey = (email: string, createdAt: string, invitationId: string) => ({
  GSI1PK: inviteePartition(email),
  GSI1SK: `${createdAt}#${invitationId}`,
});

/** Finds an invitation from its link: keyed by the token's SHA-256, never the token. */
export const invitationTokenKey = (tokenHash: string) => ({
  PK: `${prefix.invitationToken}${tokenHash}`,
  SK: singleton.invitationToken,
});

/** Invitations sent by a workspace within one clock hour (the abuse limit). */
export const invitationRateKey = (workspaceId: string, hour: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.invitationRate}${hour}`,
});

/** Invitations sent by one person within one clock hour, across workspaces (the abuse limit). */
export const inviterRateKey = (userId: string, hour: string) => ({
  PK: membershipPartition(userId),
  SK: `${prefix.invitationRate}${hour}`,
});

/** A phone number of a workspace, with its settings and every member's access entry. */
export const phoneNumberKey = (workspaceId: string, phoneNumberId: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.phoneNumber}${phoneNumberId}`,
});
/** Sort keys of a workspace's partition that are its numbers (ids sort by creation time). */
export const phoneNumberPrefix = prefix.phoneNumber;

/**
 * Which workspace has an E.164 number, or is porting it in: one item per
 * number across the whole table, so that "in one workspace at a time" and
 * "one open porting request" are conditions of the adding (or submitting)
 * write; read by number when a call comes in.
 */
export const e164Key = (e164: string) => ({ PK: `${prefix.e164}${e164}`, SK: singleton.e164 });

/** What a workspace's subscription holds: its period, what it counts, its credit and what it owes. */
export const billingKey = (workspaceId: string) => ({
  PK: workspacePartition(workspaceId),
  SK: singleton.billing,
});

/** One line of a workspace's ledger, append-only (ids sort by billing revision: newest first is a descending Query). */
export const ledgerLineKey = (workspaceId: string, lineId: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.ledgerLine}${lineId}`,
});
export const ledgerLinePrefix = prefix.ledgerLine;

/**
 * Every subscription that renews, on GSI1 by the day its period ends: the
 * daily renewal reads the due ones (up to today) from this one list, never
 * the table. A cancelled subscription leaves it.
 */
export const renewalsPartition = prefix.renewals;
export const renewalListKey = (workspaceId: string, periodEnd: string) => ({
  GSI1PK: renewalsPartition,
  GSI1SK: `${periodEnd}#${workspaceId}`,
});

/** A request to bring a number over from another carrier (ids sort by creation time). */
export const portingRequestKey = (workspaceId: string, portingRequestId: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.portingRequest}${portingRequestId}`,
});
export const portingRequestPrefix = prefix.portingRequest;

/** A workspace's porting requests of one status, newest first, on GSI2 (`?status=`). */
export const portingStatusPartition = (workspaceId: string, status: string) =>
  `${workspacePartition(workspaceId)}${prefix.portingRequests}${status}`;

/**
 * A removal whose numbers are still being handed over: written with the
 * membership's deletion, deleted with the last number moved, so that an
 * interrupted removal can be finished.
 */
export const departureKey = (workspaceId: string, userId: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.departure}${userId}`,
});

/**
 * An email waiting to be sent, or sent: one partition per message, so that
 * the table's stream carries each new one to the mail queue (the relay keeps
 * the inserts whose PK starts with `outboxPrefix`).
 */
export const outboxKey = (messageId: string) => ({
  PK: `${prefix.outbox}${messageId}`,
  SK: singleton.outbox,
});
export const outboxPrefix = prefix.outbox;

/** An address no email of the workspace goes to any more (a hard bounce, a complaint). */
export const suppressionKey = (workspaceId: string, email: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.suppressed}${email}`,
});
export const suppressionPrefix = prefix.suppressed;

/** A workspace's claim on an email domain (pending, verified, lapsed or expired). */
export const domainClaimKey = (workspaceId: string, domain: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.domainClaim}${domain}`,
});
export const domainClaimPrefix = prefix.domainClaim;

/**
 * Every claim that the daily re-check still has work on (pending, verified or
 * lapsed), on GSI1: the job pages through this one list, never the table.
 */
export const claimedDomainsPartition = prefix.claimedDomains;
export const claimedDomainListKey = (workspaceId: string, domain: string) => ({
  GSI1PK: claimedDomainsPartition,
  GSI1SK: `${domain}#${workspaceId}`,
});

/**
 * The one workspace a domain is verified by: a single item per domain, so
 * that "verified by at most one workspace" is a condition of the
 * verification's own write. Read by domain when someone looks for a
 * workspace to join.
 */
export const verifiedDomainKey = (domain: string) => ({
  PK: `${prefix.verifiedDomain}${domain}`,
  SK: singleton.verifiedDomain,
});

/** Someone's request to join a workspace through its domain: one per person and workspace. */
export const joinRequestKey = (workspaceId: string, userId: string) => ({
  PK: workspacePartition(workspaceId),
  SK: `${prefix.joinRequest}${userId}`,
});

/**
 * Join requests newest first: a workspace's on GSI1, the same split by status
 * on GSI2 (`?status=`), and a person's own across workspaces on GSI3.
 */
export const joinRequestListKeys = (request: {
  workspaceId: string;
  userId: string;
  status: string;
  createdAt: string;
}) => {
  const order = `${request.createdAt}#${request.userId}`;
  const workspaceList = joinRequestPartition(request.workspaceId);
  return {
    GSI1PK: workspaceList,
    GSI1SK: order,
    GSI2PK: joinRequestStatusPartition(request.workspaceId, request.status),
    GSI2SK: order,
    GSI3PK: myJoinRequestPartition(request.userId),
    GSI3SK: `${request.createdAt}#${request.workspaceId}`,
  };
};
export const joinRequestPartition = (workspaceId: string) =>
  `${workspacePartition(workspaceId)}${prefix.joinRequests}`;
export const joinRequestStatusPartition = (workspaceId: string, status: string) =>
  `${joinRequestPartition(workspaceId)}#${status}`;
export const myJoinRequestPartition = (userId: string) =>
  `${membershipPartition(userId)}${prefix.joinRequests}`;

/** Where a scheduled job that stopped early goes on from at its next run. */
export const jobCheckpointKey = (job: string) => ({ PK: `${prefix.job}${job}`, SK: singleton.job });
