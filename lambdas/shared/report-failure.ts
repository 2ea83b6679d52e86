import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type FailureKind, operationalMetrics } from './operational-metrics.ts';
import { logger, metrics } from './powertools.ts';

/**
 * Where use cases report a side effect that failed after their change was saved (an event
 * not published, a workflow not told, a customer message not delivered): logged with the error
 * and counted, so an alarm sees it. A customer message has a count of its own.
 */
export function reportFailure(message: string, error: unknown, kind?: FailureKind): void {
  logger.error(message, { error });
  metrics.addMetric(
    kind === 'customer-message'
      ? operationalMetrics.customerMessagesFailed
      : operationalMetrics.sideEffectFailures,
    MetricUnit.Count,
    1,
  );
}

/**
 * A work order the workflow could not carry on, newly flagged `needs_attention`: logged and
 * counted, so the operators' alarm sees it while the office sees the work order.
 */
export function reportNeedsAttention(
  workOrder: { tenantId: string; workOrderId: string },
  error: string,
): void {
  logger.warn('A work order needs attention', {
    tenantId: workOrder.tenantId,
    workOrderId: workOrder.workOrderId,
    error,
  });
  metrics.addMetric(operationalMetrics.needsAttention, MetricUnit.Count, 1);
}
