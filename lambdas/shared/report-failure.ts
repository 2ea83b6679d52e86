import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from './powertools.ts';

/**
 * Where use cases report a side effect that failed after their change was saved (an event
 * not published, a workflow not told): logged with the error and counted, so an alarm sees it.
 */
export function reportFailure(message: string, error: unknown): void {
  logger.error(message, { error });
  metrics.addMetric('WorkOrderSideEffectFailures', MetricUnit.Count, 1);
}
