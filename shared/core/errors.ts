/**
 * Every error the API can answer with, in one place: its HTTP status and a
 * default message a person can act on. Code anywhere throws
 * `new AppError(code)`; the HTTP layer turns it into the contract's error body.
 */
export const errorCatalogue = {
  // The request itself
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid; see errors for each field.' },
  MALFORMED_REQUEST: { status: 400, message: 'The HTTP request could not be read.' },
  INVALID_CURSOR: {
    status: 400,
    message: 'The cursor is invalid or belongs to another list; start again without it.',
  },
  EMPTY_UPDATE: { status: 400, message: 'Nothing to update: send at least one field to change.' },
  CANNOT_TARGET_SELF: { status: 400, message: 'This operation cannot target yourself.' },
  REASSIGN_TARGET_NOT_MEMBER: {
    status: 400,
    message: 'reassignNumbersTo must be another current member of this workspace.',
  },
  INVALID_EMAIL: { status: 400, message: 'This is not a valid email address.' },
  PHONE_NUMBER_NOT_FOUND: {
    status: 400,
    message: 'Some of these phone numbers are not in this workspace.',
  },
  INVALID_PHONE_NUMBER: {
    status: 400,
    message: 'This is not a valid phone number: give it in international format, such as +14155550123.',
  },
  DOMAIN_PUBLIC_SUFFIX: {
    status: 400,
    message:
      'This is a public suffix (such as com or co.uk), which no one owns: claim your own domain under it.',
  },
  DOMAIN_FREE_PROVIDER: {
    status: 400,
    message:
      'This is a public email provider: anyone can have an address there, so it cannot be claimed. Use an address at your company’s own domain.',
  },
  DOMAIN_NOT_REGISTRABLE: {
    status: 400,
    message:
      'This is not a domain that can be registered (an IP address, a local name, or not a domain at all).',
  },
  UNAUTHORIZED: { status: 401, message: 'Sign in again: the access token is missing, invalid or expired.' },

  // Visible but not allowed
  ROLE_FORBIDDEN: { status: 403, message: 'Your role does not allow this operation.' },
  OWNER_REQUIRED: { status: 403, message: 'Only an owner can add, remove or change the role of an owner.' },
  OWN_ROLE_CHANGE: {
    status: 403,
    message: 'You cannot change your own role; only an owner may step down while another owner remains.',
  },
  OWNER_ONLY_SETTING: { status: 403, message: 'Only an owner can change this setting.' },
  MOBILE_NOT_ALLOWED: {
    status: 403,
    message: 'Members can only be removed from the web or desktop app, not from a mobile device.',
  },
  NUMBER_ACCESS_REQUIRED: {
    status: 403,
    message: 'Members can share only the numbers they have full access to.',
  },
  NUMBER_MANAGER_REQUIRED: {
    status: 403,
    message: 'Only owners, admins and this number’s own number owners can change it.',
  },
  NUMBER_HOLDER_REQUIRED: {
    status: 403,
    message: 'Only the members who hold access to this number can do this, each for themselves.',
  },
  PLAN_FEATURE_UNAVAILABLE: {
    status: 403,
    message: 'The workspace’s plan does not include this feature; an owner can change the plan.',
  },
  INVITATION_EMAIL_MISMATCH: {
    status: 403,
    message: 'This invitation was sent to another email address; sign in with that address to accept it.',
  },
  EMAIL_NOT_VERIFIED: {
    status: 403,
    message: 'Verify your email address with your sign-in provider first, then try again.',
  },

  // Not found, or not visible to the caller
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route.' },
  WORKSPACE_NOT_FOUND: { status: 404, message: 'Workspace not found.' },
  MEMBER_NOT_FOUND: { status: 404, message: 'This person is not a member of the workspace.' },
  SUPPRESSED_ADDRESS_NOT_FOUND: {
    status: 404,
    message: 'This address is not on the workspace’s suppressed addresses.',
  },
  NUMBER_NOT_FOUND: { status: 404, message: 'This phone number is not in this workspace.' },
  PORTING_REQUEST_NOT_FOUND: {
    status: 404,
    message: 'This workspace has no porting request with this id.',
  },
  DOMAIN_NOT_FOUND: { status: 404, message: 'This workspace has not claimed this domain.' },
  JOIN_REQUEST_NOT_FOUND: { status: 404, message: 'This person has not asked to join the workspace.' },
  INVITATION_NOT_FOUND: {
    status: 404,
    message: 'This invitation link is not valid (it may have been revoked or replaced by a newer one).',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: 'This path does not accept this method; see the Allow header.',
  },

  // Conflicts with the current state
  LAST_OWNER: {
    status: 409,
    message: 'A workspace must keep at least one owner: make someone else an owner first.',
  },
  WORKSPACE_INACTIVE: {
    status: 409,
    message: 'This workspace is not active, so it cannot be changed. Contact its owner or billing.',
  },
  ALREADY_OWNER: { status: 409, message: 'This member is already an owner.' },
  CONCURRENT_UPDATE: {
    status: 409,
    message: 'The workspace changed while your request was processed. Reload and try again.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    message: 'This Idempotency-Key was already used with a different request body.',
  },
  REQUEST_IN_PROGRESS: {
    status: 409,
    message: 'A request with this Idempotency-Key is still being processed; retry in a few seconds.',
  },
  ALREADY_MEMBER: { status: 409, message: 'This person is already a member of the workspace.' },
  ALREADY_INVITED: {
    status: 409,
    message: 'An invitation to this address is already pending; resend it instead.',
  },
  ADDRESS_SUPPRESSED: {
    status: 409,
    message:
      'Emails to this address bounced or were reported as spam, so no more are sent to it. An owner or admin can clear it from the suppressed addresses.',
  },
  NOTHING_TO_INVITE: {
    status: 409,
    message: 'None of these addresses can be invited; see errors for each one.',
  },
  INVITATION_NOT_PENDING: {
    status: 409,
    message: 'This invitation is no longer pending: it was already accepted or revoked.',
  },
  INVITER_NO_LONGER_ALLOWED: {
    status: 409,
    message:
      'The person who sent this invitation can no longer invite with this role. Ask an owner or an admin of the workspace to invite you again.',
  },
  NUMBER_TAKEN: {
    status: 409,
    message: 'This phone number is already in a workspace. A number can be in one workspace at a time.',
  },
  NUMBER_ACCESS_CONFLICT: {
    status: 409,
    message:
      'Exclusive access means alone: nobody else may use a number one member holds exclusively (read-only viewers may stay).',
  },
  NUMBER_MEMBER_LIMIT: {
    status: 409,
    message: 'This number has as many members as the workspace’s plan allows on one number.',
  },
  DOMAIN_TAKEN: {
    status: 409,
    message:
      'Another workspace has verified this domain. A domain can be verified by one workspace at a time.',
  },
  DOMAIN_ALREADY_CLAIMED: {
    status: 409,
    message: 'This workspace has already claimed this domain: verify it, or delete it first.',
  },
  DOMAIN_CLAIM_EXPIRED: {
    status: 409,
    message: 'This claim expired before it was verified: claim the domain again for a new record to publish.',
  },
  DOMAIN_RECORD_NOT_FOUND: {
    status: 409,
    message:
      'No TXT record was found at the name given. Publish it at your DNS provider; changes can take up to 72 hours to be seen.',
  },
  DOMAIN_RECORD_MISMATCH: {
    status: 409,
    message: 'TXT records were found at the name given, but none has the expected value.',
  },
  DOMAIN_RECORD_MISPLACED: {
    status: 409,
    message:
      'The record was published with the domain written twice in its name: many DNS consoles add the domain themselves, so enter only the part before it.',
  },
  DOMAIN_NOT_JOINABLE: {
    status: 409,
    message:
      'Nobody can join through this domain now: it is no longer verified, or joining through it is off.',
  },
  JOIN_REQUEST_PENDING: {
    status: 409,
    message: 'Your request to join this workspace is waiting for an owner or an admin to answer it.',
  },
  JOIN_REQUEST_NOT_PENDING: { status: 409, message: 'This join request was already answered.' },
  INVITATION_PENDING: {
    status: 409,
    message:
      'There is a pending invitation to this workspace for this address, which gives more than joining through the domain: accept it instead (it is in the email, and in GET /v1/me/invitations).',
  },
  PLAN_LIMITS_EXCEEDED: {
    status: 409,
    message:
      'The workspace uses more than this plan allows; see errors for what stands in the way, change it, then try again.',
  },
  PORT_IN_PROGRESS: {
    status: 409,
    message:
      'A request to port this number is already open (in this workspace or another). A number has one open porting request at a time.',
  },
  PORTING_REQUEST_CLOSED: {
    status: 409,
    message:
      'This porting request can no longer change this way: corrections are taken while it is submitted or waiting on you (action-required), cancellation until it is completed.',
  },
  PORTING_STATUS_CONFLICT: {
    status: 409,
    message:
      'A porting request goes submitted → in-progress → completed, or to action-required from either: this status does not follow its current one.',
  },
  REMOVAL_IN_PROGRESS: {
    status: 409,
    message:
      'This person’s removal from the workspace is still handing their numbers over. An owner or admin finishes it by sending the removal again; then try again.',
  },
  INVITATION_EXPIRED: {
    status: 410,
    message: 'This invitation has expired. Ask the person who invited you to resend it.',
  },

  // Limits and faults
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the request body as application/json.' },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; wait a moment and try again.' },
  DNS_LOOKUP_FAILED: {
    status: 503,
    message: 'The DNS lookup failed (the domain’s name servers did not answer). Try again in a minute.',
  },
  ENCRYPTION_UNAVAILABLE: {
    status: 503,
    message: 'The encryption service did not answer. Try again in a moment.',
  },
  INTERNAL: { status: 500, message: 'Something went wrong on our side. Try again later.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** One problem with one part of the request; in a batch, also the item's own code. */
export interface FieldError {
  path: string;
  message: string;
  code?: ErrorCode;
}

export interface AppErrorOptions {
  fieldErrors?: FieldError[];
  /** For 429 and 503: how long the client should wait before trying again. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly status: number;
  readonly fieldErrors: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    options: AppErrorOptions = {},
  ) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
    this.fieldErrors = options.fieldErrors;
    this.retryAfterSeconds =
      options.retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(options.retryAfterSeconds));
  }

  get title(): string {
    return titles[this.status] ?? 'Error';
  }
}
