import type { Context } from 'aws-lambda';
import { jobInstant } from '../../shared/core/time';
import { type RecheckSummary, recheckDomains } from '../../shared/features/domains/recheck';

/** Time kept back at the end of an invocation: a page of checks finishes within it. */
const safetyMarginMs = 60_000;

/**
 * The daily schedule's target. Locally, the dev route calls it with `now` (honoured there only),
 * to see the claims as of any instant.
 */
export const handler = (
  event: { now?: string } | undefined,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<RecheckSummary> =>
  recheckDomains({
    now: jobInstant(event?.now),
    ...(context ? { hasTimeLeft: () => context.getRemainingTimeInMillis() > safetyMarginMs } : {}),
  });
