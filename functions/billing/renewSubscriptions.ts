import type { Context } from 'aws-lambda';
import { type RenewalSummary, renewSubscriptions } from '../../shared/features/billing/renew';

/** Time kept back at the end of an invocation: the renewals in flight finish within it. */
const safetyMarginMs = 30_000;

/**
 * The daily schedule's target. Locally, the dev route calls it with `now`,
 * to renew as of any instant.
 */
export const handler = (
  event: { now?: string } | undefined,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<RenewalSummary> =>
  renewSubscriptions({
    now: event?.now ? new Date(event.now) : new Date(),
    ...(context ? { hasTimeLeft: () => context.getRemainingTimeInMillis() > safetyMarginMs } : {}),
  });
