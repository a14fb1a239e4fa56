/** The service's name in logs, metrics and the API's own description: written here only. */
export const serviceName = 'switchboard';
/** The CloudWatch namespace of the per-operation metrics. */
export const metricsNamespace = 'Switchboard';
/** The API's name in its own description and in `GET /v1`. */
export const apiTitle = 'Switchboard API';
/** The version of the HTTP contract (the OpenAPI document's `info.version`). */
export const apiVersion = '1.0.0';

/** The metrics every request publishes, and the dimension that names its operation. */
export const requestMetricNames = {
  requests: 'Requests',
  clientErrors: 'Errors4xx',
  serverErrors: 'Errors5xx',
  duration: 'Duration',
} as const;
export const operationDimension = 'operation';
