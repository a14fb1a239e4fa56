/**
 * Every error the API can answer with, in one place: its HTTP status, the
 * contract's title and a default message a person can act on. Domain code
 * throws `new AppError(code)`; one middleware turns it into the error body.
 */
export const errorCatalogue = {
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid; see errors for each field.' },
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
  NOTHING_TO_INVITE: {
    status: 400,
    message: 'None of these addresses can be invited; see errors for each one.',
  },
  PHONE_NUMBER_NOT_FOUND: {
    status: 400,
    message: 'Some of these phone numbers are not in this workspace.',
  },
  UNAUTHORIZED: { status: 401, message: 'Sign in again: the access token is missing, invalid or expired.' },
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
  INVITATION_EMAIL_MISMATCH: {
    status: 403,
    message: 'This invitation was sent to another email address; sign in with that address to accept it.',
  },
  EMAIL_NOT_VERIFIED: {
    status: 403,
    message: 'Verify your email address with your sign-in provider first, then try again.',
  },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route.' },
  WORKSPACE_NOT_FOUND: { status: 404, message: 'Workspace not found.' },
  MEMBER_NOT_FOUND: { status: 404, message: 'This person is not a member of the workspace.' },
  INVITATION_NOT_FOUND: {
    status: 404,
    message: 'This invitation link is not valid (it may have been revoked or replaced by a newer one).',
  },
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
  INVITATION_NOT_PENDING: {
    status: 409,
    message: 'This invitation is no longer pending: it was already accepted or revoked.',
  },
  INVITATION_EXPIRED: {
    status: 410,
    message: 'This invitation has expired. Ask the person who invited you to resend it.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the request body as application/json.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; wait a moment and try again.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side. Try again later.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fieldErrors?: FieldError[],
  ) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
  }

  get title(): string {
    return titles[this.status] ?? 'Error';
  }
}

export interface ErrorBody {
  title: string;
  code: ErrorCode;
  message: string;
  errors?: FieldError[];
  requestId: string;
}

export function errorBody(error: AppError, requestId: string): ErrorBody {
  return {
    title: error.title,
    code: error.code,
    message: error.message,
    ...(error.fieldErrors ? { errors: error.fieldErrors } : {}),
    requestId,
  };
}
