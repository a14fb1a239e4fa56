import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricsNamespace, operationDimension, requestMetricNames, serviceName } from '../core/service';

/**
 * Per-operation metrics in CloudWatch's embedded metric format: one log
 * line per request, which CloudWatch turns into metrics with no API call,
 * under the dimensions service and operation (the dashboard's figures).
 */
const metrics = new Metrics({ namespace: metricsNamespace, serviceName });

export function recordRequest(operation: string, status: number, durationMs: number): void {
  metrics.addDimension(operationDimension, operation);
  metrics.addMetric(requestMetricNames.requests, MetricUnit.Count, 1);
  metrics.addMetric(requestMetricNames.clientErrors, MetricUnit.Count, status >= 400 && status < 500 ? 1 : 0);
  metrics.addMetric(requestMetricNames.serverErrors, MetricUnit.Count, status >= 500 ? 1 : 0);
  metrics.addMetric(requestMetricNames.duration, MetricUnit.Milliseconds, durationMs);
  metrics.publishStoredMetrics();
}
