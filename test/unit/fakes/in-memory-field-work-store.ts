import type { LaborEntry } from '../../../lambdas/domain/execution/field-records.ts';
import type { LaborTimer } from '../../../lambdas/domain/execution/labor-timers.ts';
import type { Recommendation } from '../../../lambdas/domain/execution/recommendations.ts';
import type { WorkOrderMessage } from '../../../lambdas/domain/execution/work-order-messages.ts';
import type { FollowUpTask, FollowUpTaskStatus } from '../../../lambdas/domain/work-orders/follow-ups.ts';
import type { AuditEvent, WorkOrderStatus } from '../../../lambdas/domain/work-orders/work-order.ts';
import type { FieldWorkStore, FieldWriteOutcome } from '../../../lambdas/ports/field-work-store.ts';
import type { FollowUpTaskStore } from '../../../lambdas/ports/follow-up-task-store.ts';
import type { Page } from '../../../lambdas/ports/work-order-store.ts';
import type { InMemoryWorkOrderStore } from './in-memory-work-order-store.ts';

const keyOf = (...parts: string[]) => parts.join('#');
const byKey = <T>(items: T[], sortKey: (item: T) => string) =>
  [...items].sort((one, other) =>
    sortKey(one) < sortKey(other) ? -1 : sortKey(one) > sortKey(other) ? 1 : 0,
  );

/** A page of `items` with the offset as cursor (tests never tamper with it). */
function pageOf<T>(items: T[], page: { limit: number; cursor?: string }): Page<T> {
  const offset = page.cursor ? Number(page.cursor) : 0;
  const next = offset + page.limit;
  return {
    items: items.slice(offset, next).map((item) => structuredClone(item)),
    ...(next < items.length ? { nextCursor: String(next) } : {}),
  };
}

/**
 * Labor timers, recommendations, messages and follow-up tasks in memory, over the work orders
 * of an `InMemoryWorkOrderStore` and with the table's guarantees: each record with its audit
 * event or neither; a timer at most once per technician and work order; a stop of exactly the
 * timer read, adding its minutes as a labor entry does; updates at the version read.
 */
export class InMemoryFieldWorkStore implements FieldWorkStore, FollowUpTaskStore {
  private readonly timers = new Map<string, LaborTimer>();
  private readonly recommendationItems = new Map<string, Recommendation>();
  private readonly messageItems: WorkOrderMessage[] = [];
  private readonly taskItems = new Map<string, FollowUpTask>();

  constructor(private readonly workOrders: InMemoryWorkOrderStore) {}

  private async statusIs(tenantId: string, workOrderId: string, statuses?: WorkOrderStatus[]) {
    const workOrder = await this.workOrders.get(tenantId, workOrderId);
    return workOrder !== undefined && (statuses === undefined || statuses.includes(workOrder.status));
  }

  async startTimer(timer: LaborTimer, event: AuditEvent, whileStatusIn: WorkOrderStatus[]) {
    const key = keyOf(timer.tenantId, timer.workOrderId, timer.technicianId);
    if (this.timers.has(key)) return 'conflict' as const;
    if (!(await this.statusIs(timer.tenantId, timer.workOrderId, whileStatusIn)))
      return 'workOrderStatus' as const;
    this.timers.set(key, structuredClone(timer));
    this.workOrders.countRunningTimer(timer.tenantId, timer.workOrderId, 1);
    await this.workOrders.appendEvent(event);
    return 'written' as const;
  }

  async runningTimer(tenantId: string, workOrderId: string, technicianId: string) {
    const timer = this.timers.get(keyOf(tenantId, workOrderId, technicianId));
    return timer ? structuredClone(timer) : undefined;
  }

  async runningTimers(tenantId: string, workOrderId: string) {
    return byKey(
      [...this.timers.values()].filter(
        (timer) => timer.tenantId === tenantId && timer.workOrderId === workOrderId,
      ),
      (timer) => timer.technicianId,
    ).map((timer) => structuredClone(timer));
  }

  async stopTimer(
    timer: LaborTimer,
    entry: LaborEntry,
    event: AuditEvent,
    whileStatusIn: WorkOrderStatus[],
  ): Promise<FieldWriteOutcome> {
    const key = keyOf(timer.tenantId, timer.workOrderId, timer.technicianId);
    if (this.timers.get(key)?.startedAt !== timer.startedAt) return 'conflict';
    if (!(await this.workOrders.addLabor(entry, event, whileStatusIn))) return 'workOrderStatus';
    this.timers.delete(key);
    this.workOrders.countRunningTimer(timer.tenantId, timer.workOrderId, -1);
    return 'written';
  }

  async addRecommendation(
    recommendation: Recommendation,
    event: AuditEvent,
    whileStatusIn: WorkOrderStatus[],
  ) {
    const { tenantId, workOrderId, recommendationId } = recommendation;
    const key = keyOf(tenantId, workOrderId, recommendationId);
    if (this.recommendationItems.has(key)) return 'conflict' as const;
    if (!(await this.statusIs(tenantId, workOrderId, whileStatusIn))) return 'workOrderStatus' as const;
    this.recommendationItems.set(key, structuredClone(recommendation));
    await this.workOrders.appendEvent(event);
    return 'written' as const;
  }

  async getRecommendation(tenantId: string, workOrderId: string, recommendationId: string) {
    const found = this.recommendationItems.get(keyOf(tenantId, workOrderId, recommendationId));
    return found ? structuredClone(found) : undefined;
  }

  async recommendations(tenantId: string, workOrderId: string) {
    return byKey(
      [...this.recommendationItems.values()].filter(
        (item) => item.tenantId === tenantId && item.workOrderId === workOrderId,
      ),
      (item) => item.recommendationId,
    ).map((item) => structuredClone(item));
  }

  async updateRecommendation(recommendation: Recommendation, expectedVersion: number, event: AuditEvent) {
    const key = keyOf(recommendation.tenantId, recommendation.workOrderId, recommendation.recommendationId);
    if (this.recommendationItems.get(key)?.version !== expectedVersion) return 'conflict' as const;
    this.recommendationItems.set(key, structuredClone(recommendation));
    await this.workOrders.appendEvent(event);
    return 'written' as const;
  }

  async addMessage(message: WorkOrderMessage, event: AuditEvent): Promise<FieldWriteOutcome> {
    if (!(await this.statusIs(message.tenantId, message.workOrderId))) return 'workOrderStatus';
    this.messageItems.push(structuredClone(message));
    await this.workOrders.appendEvent(event);
    return 'written';
  }

  async messages(tenantId: string, workOrderId: string, page: { limit: number; cursor?: string }) {
    return pageOf(
      byKey(
        this.messageItems.filter((item) => item.tenantId === tenantId && item.workOrderId === workOrderId),
        (item) => item.messageId,
      ),
      page,
    );
  }

  async addTask(task: FollowUpTask, event: AuditEvent): Promise<FieldWriteOutcome> {
    if (!(await this.statusIs(task.tenantId, task.workOrderId))) return 'workOrderStatus';
    this.taskItems.set(keyOf(task.tenantId, task.workOrderId, task.taskId), structuredClone(task));
    await this.workOrders.appendEvent(event);
    return 'written';
  }

  async getTask(tenantId: string, workOrderId: string, taskId: string) {
    const found = this.taskItems.get(keyOf(tenantId, workOrderId, taskId));
    return found ? structuredClone(found) : undefined;
  }

  async tasksOf(tenantId: string, workOrderId: string) {
    return byKey(
      [...this.taskItems.values()].filter(
        (task) => task.tenantId === tenantId && task.workOrderId === workOrderId,
      ),
      (task) => task.taskId,
    ).map((task) => structuredClone(task));
  }

  async tasksDue(
    tenantId: string,
    filter: { status: FollowUpTaskStatus; dueBefore?: string },
    page: { limit: number; cursor?: string },
  ) {
    const due = [...this.taskItems.values()].filter(
      (task) =>
        task.tenantId === tenantId &&
        task.status === filter.status &&
        (filter.dueBefore === undefined || task.dueDate < filter.dueBefore),
    );
    return pageOf(
      byKey(due, (task) => `${task.dueDate}#${task.taskId}`),
      page,
    );
  }

  async updateTask(task: FollowUpTask, expectedVersion: number, event: AuditEvent) {
    const key = keyOf(task.tenantId, task.workOrderId, task.taskId);
    if (this.taskItems.get(key)?.version !== expectedVersion) return 'conflict' as const;
    this.taskItems.set(key, structuredClone(task));
    await this.workOrders.appendEvent(event);
    return 'written' as const;
  }
}
