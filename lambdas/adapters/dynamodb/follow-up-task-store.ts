import type { FollowUpTask, FollowUpTaskStatus } from '../../domain/work-orders/follow-ups.ts';
import type { AuditEvent } from '../../domain/work-orders/work-order.ts';
import type { FieldWriteOutcome } from '../../ports/field-work-store.ts';
import type { FollowUpTaskStore } from '../../ports/follow-up-task-store.ts';
import type { Page } from '../../ports/work-order-store.ts';
import type { Entities } from './entities.ts';
import { pagedQuery } from './paging.ts';

type Condition = (
  attributes: Record<string, unknown>,
  operations: Record<string, (...args: unknown[]) => string>,
) => string;

const exists: Condition = ({ status }, { exists: present }) => (present as (a: unknown) => string)(status);

const sameVersion =
  (version: number): Condition =>
  ({ version: attribute }, { eq }) =>
    (eq as (a: unknown, v: unknown) => string)(attribute, version);

const written = (result: { canceled: boolean }): FieldWriteOutcome =>
  result.canceled ? 'conflict' : 'written';

/**
 * Follow-up tasks in their work order's item collection; the due-date index (`gsi2`, keyed by
 * tenant and status, sorted by due day) lists a tenant's open tasks soonest first.
 */
export class DynamoFollowUpTaskStore implements FollowUpTaskStore {
  constructor(private readonly entities: Entities) {}

  async addTask(task: FollowUpTask, event: AuditEvent): Promise<FieldWriteOutcome> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.followUpTask.create(task).commit(),
        entity.workOrder
          .check({ tenantId: task.tenantId, workOrderId: task.workOrderId })
          .where(exists as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return result.canceled ? 'workOrderStatus' : 'written';
  }

  async getTask(tenantId: string, workOrderId: string, taskId: string) {
    const { data } = await this.entities.followUpTask
      .get({ tenantId, workOrderId, taskId })
      .go({ consistent: true });
    return (data as FollowUpTask | null) ?? undefined;
  }

  async tasksOf(tenantId: string, workOrderId: string) {
    const { data } = await this.entities.followUpTask.query
      .byWorkOrder({ tenantId, workOrderId })
      .go({ pages: 'all' });
    return data as FollowUpTask[];
  }

  async tasksDue(
    tenantId: string,
    filter: { status: FollowUpTaskStatus; dueBefore?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<FollowUpTask>> {
    const { status, dueBefore } = filter;
    const result = await pagedQuery(page, (options) => {
      const query = this.entities.followUpTask.query.byDueDate({ tenantId, status });
      return (dueBefore ? query.lt({ dueDate: dueBefore }) : query).go({ ...options, order: 'asc' });
    });
    return result as Page<FollowUpTask>;
  }

  async updateTask(
    task: FollowUpTask,
    expectedVersion: number,
    event: AuditEvent,
  ): Promise<FieldWriteOutcome> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.followUpTask
          .put(task)
          .where(sameVersion(expectedVersion) as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return written(result);
  }
}
