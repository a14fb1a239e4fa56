/** Whole seconds since the epoch: what DynamoDB's TTL attribute holds. */
export const epochSeconds = (ms: number) => Math.floor(ms / 1000);

export const minuteMs = 60 * 1000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;
