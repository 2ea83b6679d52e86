import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import { workOrderNeedsAttention } from '../../schemas/events/work-order-needs-attention.ts';
import { workflowActor } from '../shared/actor.ts';
import { auditEvent, type WorkOrder } from './work-order.ts';
import { WorkflowStepError } from './workflow-errors.ts';

const maxAttempts = 5;

export interface MarkNeedsAttentionDependencies {
  workOrders: WorkOrderStore;
  events: EventPublisher;
  clock: Clock;
  ids: IdGenerator;
  /** Told once per work order newly flagged, so the operators can count them (an alarm). */
  reportNeedsAttention?: (workOrder: WorkOrder, error: string) => void;
}

/**
 * The Catch-all of the workflow: flags the work order `needs_attention` with what failed,
 * records it in the audit trail and tells the office through a `WorkOrderNeedsAttention` event,
 * and the operators through `reportNeedsAttention`. A work order already flagged is told again
 * to no one. Retries on a concurrent change, since the office may be editing the work order
 * meanwhile.
 */
export async function markNeedsAttention(
  dependencies: MarkNeedsAttentionDependencies,
  command: { tenantId: string; workOrderId: string; error?: string; cause?: string },
): Promise<WorkOrder> {
  const { workOrders, events, clock, ids } = dependencies;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const before = await workOrders.get(command.tenantId, command.workOrderId);
    if (!before)
      throw new WorkflowStepError('WorkOrder.NotFound', `Work order ${command.workOrderId} does not exist`);
    // Already flagged, or over (a cancelled or paid job has nothing left to attend to).
    if (['needs_attention', 'cancelled', 'paid'].includes(before.status)) return before;
    const now = clock.now().toISOString();
    const { taskToken: _dropped, waitingWhile: _waits, ...rest } = before;
    const after: WorkOrder = {
      ...rest,
      status: 'needs_attention',
      workflowState: 'NeedsAttention',
      workflowStateSince: now,
      version: before.version + 1,
      updatedAt: now,
    };
    const event = auditEvent({
      eventId: ids.next('evt'),
      action: 'needs_attention',
      actor: workflowActor(command.tenantId),
      at: now,
      before,
      after,
    });
    event.changes.failure = {
      after: { error: command.error ?? 'unknown', cause: (command.cause ?? '').slice(0, 1000) },
    };
    if (await workOrders.apply({ before, after, event })) {
      dependencies.reportNeedsAttention?.(after, command.error ?? 'unknown');
      await events.publish([
        workOrderNeedsAttention.create(command.tenantId, now, {
          workOrderId: command.workOrderId,
          status: after.status,
          previousStatus: before.status,
          version: after.version,
          actorId: 'workflow',
          actorRole: 'system',
          error: command.error ?? 'unknown',
        }),
      ]);
      return after;
    }
  }
  throw new WorkflowStepError(
    'WorkOrder.Transient',
    `Work order ${command.workOrderId} kept changing; will retry`,
  );
}
