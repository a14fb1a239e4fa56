/** What a browser on an allowed origin may send: the stack's preflight and the local server both say this. */
export const corsAllowedMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const corsAllowedHeaders = ['authorization', 'content-type', 'idempotency-key', 'x-client-platform'];
export const corsMaxAgeSeconds = 3600;
