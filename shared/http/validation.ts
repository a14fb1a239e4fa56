import type * as z from 'zod/mini';
import { AppError, type FieldError } from '../core/errors';

type Issue = z.core.$ZodIssue;

/** The part of the request a schema reads: it names the path of an error about the part as a whole. */
export type RequestPart = 'path' | 'query' | 'body';

/** A sentence for each kind of schema violation (zod/mini carries no messages). */
function describe(issue: Issue, part: RequestPart): string {
  // A schema may say what it expects in its own words; zod/mini's defaults are no sentences.
  if (/\.$/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'This field is required.';
      return `Expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}.`;
    case 'too_small':
      return issue.origin === 'string'
        ? `Must be at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'}.`
        : `Must be at least ${issue.minimum}.`;
    case 'too_big':
      return issue.origin === 'string'
        ? `Must be at most ${issue.maximum} characters.`
        : issue.origin === 'array'
          ? `At most ${issue.maximum} items.`
          : `Must be at most ${issue.maximum}.`;
    case 'invalid_value':
      if (issue.input === undefined) return 'This field is required.';
      return `Must be one of: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}.`;
    case 'unrecognized_keys': {
      const what = part === 'query' ? 'query parameter' : 'field';
      return `Unknown ${what}${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}.`;
    }
    case 'invalid_format':
      return `Invalid ${issue.format}.`;
    default:
      return 'Invalid value.';
  }
}

function fieldErrors(issues: readonly Issue[], part: RequestPart): FieldError[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.') || part,
    message: describe(issue, part),
  }));
}

/** Parses one part of the request, or throws a 400 listing every problem. */
export function parseInput<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  part: RequestPart,
): z.infer<T> {
  // The input is kept on issues only to tell "missing" from "wrong type"; it never reaches the answer.
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new AppError('VALIDATION_FAILED', undefined, { fieldErrors: fieldErrors(result.error.issues, part) });
}
