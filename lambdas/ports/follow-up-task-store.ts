import type { FollowUpTask, FollowUpTaskStatus } from '../domain/work-orders/follow-ups.ts';
import type { AuditEvent } from '../domain/work-orders/work-order.ts';
import type { FieldWriteOutcome } from './field-work-store.ts';
import type { Page } from './work-order-store.ts';

/** Follow-up tasks: in their work order's item collection, and by tenant, status and due date. */
export interface FollowUpTaskStore {
  /** Writes the task with its audit event while its work order exists. */
  addTask(task: FollowUpTask, event: AuditEvent): Promise<FieldWriteOutcome>;
  getTask(tenantId: string, workOrderId: string, taskId: string): Promise<FollowUpTask | undefined>;
  /** The tasks of one work order, oldest first. */
  tasksOf(tenantId: string, workOrderId: string): Promise<FollowUpTask[]>;
  /** The tenant's tasks of a status, soonest due first; only those due before `dueBefore` (a local day) if given. */
  tasksDue(
    tenantId: string,
    filter: { status: FollowUpTaskStatus; dueBefore?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<FollowUpTask>>;
  /** Replaces the task if it is still at `expectedVersion`, with its audit event. */
  updateTask(task: FollowUpTask, expectedVersion: number, event: AuditEvent): Promise<FieldWriteOutcome>;
}
