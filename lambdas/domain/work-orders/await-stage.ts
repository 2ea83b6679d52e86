import type { Clock } from '../../ports/clock.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Workflow } from '../../ports/workflow.ts';
import type { WorkOrderStatus } from './work-order.ts';
import { cancelledError, rescheduledError, WorkflowStepError } from './workflow-errors.ts';

export interface AwaitStageCommand {
  taskToken: string;
  tenantId: string;
  workOrderId: string;
  state: string;
  /** The statuses of the stage this state waits through. */
  waitsWhile: WorkOrderStatus[];
  /** The statuses that mean the stage is done. */
  proceedsWhen: WorkOrderStatus[];
  /** Waits only for a booking the customer was told of; a changed one goes back to scheduling. */
  requiresConfirmedSchedule?: boolean;
}

/** Statuses in which the booking still lies ahead and its confirmation matters. */
const beforeTheVisitEnds: WorkOrderStatus[] = [
  'scheduled',
  'dispatched',
  'en_route',
  'arrived',
  'in_progress',
  'paused',
  'on_hold',
];

export type AwaitOutcome = 'waiting' | 'proceeded' | 'cancelled' | 'rescheduled';

/**
 * The first half of the callback protocol (DESIGN §5), race-free in both orders.
 * 1. Store the token, conditionally on the work order still being in the awaited stage;
 *    the API's transition then answers with it.
 * 2. If the API already moved the work order, answer the waiting state now: success if the
 *    stage is done, `WorkOrder.Cancelled` if it was cancelled, `WorkOrder.Rescheduled` if it
 *    went back to an earlier stage or its booking changed after the customer was told.
 */
export async function awaitStage(
  dependencies: { workOrders: WorkOrderStore; workflow: Workflow; clock: Clock },
  command: AwaitStageCommand,
): Promise<{ outcome: AwaitOutcome; status?: WorkOrderStatus }> {
  const { workOrders, workflow } = dependencies;
  const stored = await workOrders.recordWait({
    tenantId: command.tenantId,
    workOrderId: command.workOrderId,
    state: command.state,
    taskToken: command.taskToken,
    at: dependencies.clock.now().toISOString(),
    whileStatusIn: command.waitsWhile,
    ...(command.requiresConfirmedSchedule ? { whileScheduleConfirmed: true } : {}),
  });
  if (stored.stored) return { outcome: 'waiting', status: stored.workOrder.status };
  const workOrder = stored.workOrder;
  if (!workOrder)
    throw new WorkflowStepError('WorkOrder.NotFound', `Work order ${command.workOrderId} does not exist`);
  const { status } = workOrder;
  if (status === 'cancelled') {
    await workflow.fail(
      command.taskToken,
      cancelledError,
      `Work order ${workOrder.workOrderId} was cancelled`,
    );
    return { outcome: 'cancelled', status };
  }
  const unconfirmed =
    command.requiresConfirmedSchedule === true &&
    beforeTheVisitEnds.includes(status) &&
    workOrder.scheduledStart !== workOrder.confirmedStart;
  if (unconfirmed) {
    await workflow.fail(
      command.taskToken,
      rescheduledError,
      `The booking of ${workOrder.workOrderId} changed since it was confirmed`,
    );
    return { outcome: 'rescheduled', status };
  }
  if (command.proceedsWhen.includes(status)) {
    await workflow.succeed(command.taskToken, { status, version: workOrder.version });
    return { outcome: 'proceeded', status };
  }
  if (status === 'needs_attention') {
    throw new WorkflowStepError(
      'WorkOrder.NeedsAttention',
      `Work order ${workOrder.workOrderId} needs attention`,
    );
  }
  await workflow.fail(
    command.taskToken,
    rescheduledError,
    `Work order ${workOrder.workOrderId} is back to ${status}`,
  );
  return { outcome: 'rescheduled', status };
}
