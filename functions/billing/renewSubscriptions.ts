import type { Context } from 'aws-lambda';
import { jobInstant } from '../../shared/core/time';
import { type RenewalSummary, renewSubscriptions } from '../../shared/features/billing/renew';

/** Time kept back at the end of an invocation: the renewals in flight finish within it. */
const safetyMarginMs = 30_000;

/**
 * The daily schedule's target. Locally, the dev route calls it with `now` (honoured there only),
 * to renew as of any instant.
 */
export const handler = async (
  event: { now?: string } | undefined,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<RenewalSummary> => {
  const summary = await renewSubscriptions({
    now: jobInstant(event?.now),
    ...(context ? { hasTimeLeft: () => context.getRemainingTimeInMillis() > safetyMarginMs } : {}),
  });
  // An unfinished run fails its invocation: the errors alarm sees it, and the retries go on
  // (each subscription renews once however often it runs).
  if (summary.failed > 0 || summary.incomplete) {
    throw new Error(
      `Renewals unfinished: ${summary.renewed} renewed, ${summary.failed} failed, incomplete ${summary.incomplete}`,
    );
  }
  return summary;
};
