import { WorkflowStepError } from '../../domain/work-orders/workflow-errors.ts';
import { isTransient } from '../../shared/problem.ts';

/**
 * A workflow task whose dependency stayed busy through the SDK's own retries (DynamoDB
 * throttling, a 5xx, a transaction cancelled for load) fails as `WorkOrder.Transient`, which
 * the state machine retries with backoff before its Catch-all flags the work order
 * `needs_attention`; any other failure goes to the Catch-all as it is.
 */
export function withBusyAsTransient<E, R>(task: (event: E) => Promise<R>) {
  return async (event: E): Promise<R> => {
    try {
      return await task(event);
    } catch (error) {
      if (!isTransient(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new WorkflowStepError('WorkOrder.Transient', `A dependency was busy; will retry: ${reason}`);
    }
  };
}
