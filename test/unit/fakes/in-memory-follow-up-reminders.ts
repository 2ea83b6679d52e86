import type {
  FollowUpReminder,
  FollowUpReminderStatus,
} from '../../../lambdas/domain/work-orders/follow-up-reminders.ts';
import type { AuditEvent } from '../../../lambdas/domain/work-orders/work-order.ts';
import type { FieldWriteOutcome } from '../../../lambdas/ports/field-work-store.ts';
import type { FollowUpReminderStore } from '../../../lambdas/ports/follow-up-reminder-store.ts';
import type { Page } from '../../../lambdas/ports/work-order-store.ts';
import type { InMemoryWorkOrderStore } from './in-memory-work-order-store.ts';

const keyOf = (tenantId: string, workOrderId: string, reminderId: string) =>
  `${tenantId}#${workOrderId}#${reminderId}`;

/**
 * Follow-up reminders in memory over the work orders of an `InMemoryWorkOrderStore`, with the
 * table's guarantees: a reminder with its audit event or neither, only on a work order that
 * exists; updates only at the version read.
 */
export class InMemoryFollowUpReminders implements FollowUpReminderStore {
  readonly items = new Map<string, FollowUpReminder>();

  constructor(private readonly workOrders: InMemoryWorkOrderStore) {}

  async addReminder(reminder: FollowUpReminder, event: AuditEvent): Promise<FieldWriteOutcome> {
    if (!(await this.workOrders.get(reminder.tenantId, reminder.workOrderId))) return 'workOrderStatus';
    const key = keyOf(reminder.tenantId, reminder.workOrderId, reminder.reminderId);
    if (this.items.has(key)) return 'conflict';
    this.items.set(key, structuredClone(reminder));
    await this.workOrders.appendEvent(event);
    return 'written';
  }

  async getReminder(tenantId: string, workOrderId: string, reminderId: string) {
    const found = this.items.get(keyOf(tenantId, workOrderId, reminderId));
    return found ? structuredClone(found) : undefined;
  }

  async findReminder(tenantId: string, reminderId: string) {
    const found = [...this.items.values()].find(
      (reminder) => reminder.tenantId === tenantId && reminder.reminderId === reminderId,
    );
    return found ? structuredClone(found) : undefined;
  }

  async remindersOf(tenantId: string, workOrderId: string) {
    return [...this.items.values()]
      .filter((reminder) => reminder.tenantId === tenantId && reminder.workOrderId === workOrderId)
      .sort((one, other) => one.reminderId.localeCompare(other.reminderId))
      .map((reminder) => structuredClone(reminder));
  }

  async remindersDue(
    tenantId: string,
    status: FollowUpReminderStatus,
    page: { limit: number; cursor?: string },
  ): Promise<Page<FollowUpReminder>> {
    const due = [...this.items.values()]
      .filter((reminder) => reminder.tenantId === tenantId && reminder.status === status)
      .sort((one, other) =>
        `${one.dueOn}#${one.reminderId}`.localeCompare(`${other.dueOn}#${other.reminderId}`),
      );
    const offset = page.cursor ? Number(page.cursor) : 0;
    const next = offset + page.limit;
    return {
      items: due.slice(offset, next).map((reminder) => structuredClone(reminder)),
      ...(next < due.length ? { nextCursor: String(next) } : {}),
    };
  }

  async updateReminder(
    reminder: FollowUpReminder,
    expectedVersion: number,
    event: AuditEvent,
  ): Promise<FieldWriteOutcome> {
    const key = keyOf(reminder.tenantId, reminder.workOrderId, reminder.reminderId);
    if (this.items.get(key)?.version !== expectedVersion) return 'conflict';
    this.items.set(key, structuredClone(reminder));
    await this.workOrders.appendEvent(event);
    return 'written';
  }
}
