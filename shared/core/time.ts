/** Whole seconds since the epoch: what DynamoDB's TTL attribute holds. */
export const epochSeconds = (ms: number) => Math.floor(ms / 1000);

export const minuteMs = 60 * 1000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;

/**
 * The instant a scheduled job runs as: now; on the local server (`DEV_NOW=on`,
 * never deployed) the one its dev route was given. Deployed, an invocation's
 * payload cannot move the clock: nothing renews or lapses ahead of time.
 */
export function jobInstant(asked: string | undefined): Date {
  return asked !== undefined && honoursDevNow() ? new Date(asked) : new Date();
}

/** The local server (`DEV_NOW=on`, which no deployed function has): a request or a job may name its instant. */
export const honoursDevNow = () => process.env.DEV_NOW === 'on';
