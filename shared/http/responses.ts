import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError, type ErrorCode, type FieldError } from '../core/errors';

export type ApiResult = APIGatewayProxyStructuredResultV2;

export const jsonHeaders = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

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

/** Statuses that tell the client to come back later: they always say when, in seconds. */
const retryable = new Set([429, 503]);

/** The headers of an error answer: JSON, and `Retry-After` on 429 and 503. */
export function errorHeaders(error: AppError): Record<string, string> {
  if (!retryable.has(error.status)) return { ...jsonHeaders };
  return { ...jsonHeaders, 'retry-after': String(error.retryAfterSeconds ?? 1) };
}

/** The contract's error answer for any failure: internals never leave. */
export function errorResult(cause: unknown, requestId: string): { result: ApiResult; error: AppError } {
  const error = cause instanceof AppError ? cause : new AppError('INTERNAL');
  return {
    error,
    result: {
      statusCode: error.status,
      headers: errorHeaders(error),
      body: JSON.stringify(errorBody(error, requestId)),
    },
  };
}
