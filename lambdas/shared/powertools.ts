import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'work-orders';

/**
 * The one logger and metrics of every function (Powertools reads its settings from the environment).
 * No tracer: Lambda's active tracing records each invocation's segment without code in the
 * function, while the X-Ray SDK that an in-function tracer loads adds tens of milliseconds to every
 * cold start and, through its async hooks, about 1.7 µs to every promise the process awaits
 * (README, Performance).
 */
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'FieldService',
});
