import type { Clock } from '../../ports/clock.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Workflow } from '../../ports/workflow.ts';
import type { WorkOrderStatus } from './work-order.ts';
import { cancelledError, WorkflowStepError } from './workflow-errors.ts';

export interface AwaitStageCommand {
  taskToken: string;
  tenantId: string;
  workOrderId: string;
  state: string;
  waitsWhileStatusIn: WorkOrderStatus[];
}

/**
 * The first half of the callback protocol (DESIGN §5), race-free in both orders.
 * 1. Store the token, conditionally on the work order still being in the awaited stage;
 *    the API's transition then sends the task success with it.
 * 2. If the API already moved the work order on, answer the waiting state now:
 *    success with the current status, or `WorkOrder.Cancelled` if it was cancelled.
 */
export async function awaitStage(
  dependencies: { workOrders: WorkOrderStore; workflow: Workflow; clock: Clock },
  command: AwaitStageCommand,
): Promise<{ waiting: boolean; status?: WorkOrderStatus }> {
  const outcome = await dependencies.workOrders.recordWait({
    tenantId: command.tenantId,
    workOrderId: command.workOrderId,
    state: command.state,
    taskToken: command.taskToken,
    at: dependencies.clock.now().toISOString(),
    whileStatusIn: command.waitsWhileStatusIn,
  });
  if (outcome.stored) return { waiting: true, status: outcome.workOrder.status };
  const workOrder = outcome.workOrder;
  if (!workOrder)
    throw new WorkflowStepError('WorkOrder.NotFound', `Work order ${command.workOrderId} does not exist`);
  if (workOrder.status === 'cancelled') {
    await dependencies.workflow.fail(
      command.taskToken,
      cancelledError,
      `Work order ${workOrder.workOrderId} was cancelled`,
    );
  } else {
    await dependencies.workflow.succeed(command.taskToken, {
      status: workOrder.status,
      version: workOrder.version,
    });
  }
  return { waiting: false, status: workOrder.status };
}
