import { metricsNamespace, operationDimension, requestMetricNames, serviceName } from '../core/service';

const dimensions = [['service', operationDimension]];
const definitions = [
  { Name: requestMetricNames.requests, Unit: 'Count' },
  { Name: requestMetricNames.clientErrors, Unit: 'Count' },
  { Name: requestMetricNames.serverErrors, Unit: 'Count' },
  { Name: requestMetricNames.duration, Unit: 'Milliseconds' },
];

/**
 * Per-operation metrics in CloudWatch's embedded metric format (EMF): one
 * JSON line per request on stdout, which CloudWatch Logs turns into metrics
 * with no API call, under the dimensions service and operation. Written by
 * hand rather than with Powertools Metrics: the same line, without its 10 KiB
 * and 10 ms of cold start. Off where METRICS_DISABLED is true (locally).
 */
export function recordRequest(operation: string, status: number, durationMs: number): void {
  if (process.env.METRICS_DISABLED === 'true') return;
  const record = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: metricsNamespace, Dimensions: dimensions, Metrics: definitions }],
    },
    service: serviceName,
    [operationDimension]: operation,
    [requestMetricNames.requests]: 1,
    [requestMetricNames.clientErrors]: status >= 400 && status < 500 ? 1 : 0,
    [requestMetricNames.serverErrors]: status >= 500 ? 1 : 0,
    [requestMetricNames.duration]: Math.round(durationMs * 100) / 100,
  };
  process.stdout.write(`${JSON.stringify(record)}\n`);
}
