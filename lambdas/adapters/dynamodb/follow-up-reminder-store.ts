import type {
  FollowUpReminder,
  FollowUpReminderStatus,
} from '../../domain/work-orders/follow-up-reminders.ts';
import type { AuditEvent } from '../../domain/work-orders/work-order.ts';
import type { FieldWriteOutcome } from '../../ports/field-work-store.ts';
import type { FollowUpReminderStore } from '../../ports/follow-up-reminder-store.ts';
import type { Page } from '../../ports/work-order-store.ts';
import { type Condition, sameAs } from './conditions.ts';
import type { Entities } from './entities.ts';
import { pagedQuery } from './paging.ts';

const workOrderExists: Condition = ({ status }, { exists }) => (exists as (a: unknown) => string)(status);

/**
 * Follow-up reminders in their work order's item collection; `gsi2` lists a tenant's reminders
 * of one status by due day, `gsi3` finds one by its id.
 */
export class DynamoFollowUpReminderStore implements FollowUpReminderStore {
  constructor(private readonly entities: Entities) {}

  async addReminder(reminder: FollowUpReminder, event: AuditEvent): Promise<FieldWriteOutcome> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.followUpReminder.create(reminder).commit(),
        entity.workOrder
          .check({ tenantId: reminder.tenantId, workOrderId: reminder.workOrderId })
          .where(workOrderExists as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return result.canceled ? 'workOrderStatus' : 'written';
  }

  async getReminder(tenantId: string, workOrderId: string, reminderId: string) {
    const { data } = await this.entities.followUpReminder
      .get({ tenantId, workOrderId, reminderId })
      .go({ consistent: true });
    return (data as FollowUpReminder | null) ?? undefined;
  }

  async findReminder(tenantId: string, reminderId: string) {
    const { data } = await this.entities.followUpReminder.query.byId({ tenantId, reminderId }).go();
    const [found] = data as FollowUpReminder[];
    // The index is eventually consistent: the item itself is read for the current version.
    return found ? this.getReminder(tenantId, found.workOrderId, reminderId) : undefined;
  }

  async remindersOf(tenantId: string, workOrderId: string) {
    const { data } = await this.entities.followUpReminder.query
      .byWorkOrder({ tenantId, workOrderId })
      .go({ pages: 'all' });
    return data as FollowUpReminder[];
  }

  async remindersDue(
    tenantId: string,
    status: FollowUpReminderStatus,
    page: { limit: number; cursor?: string },
  ): Promise<Page<FollowUpReminder>> {
    const result = await pagedQuery(page, (options) =>
      this.entities.followUpReminder.query.byStatus({ tenantId, status }).go({ ...options, order: 'asc' }),
    );
    return result as Page<FollowUpReminder>;
  }

  async updateReminder(
    reminder: FollowUpReminder,
    expectedVersion: number,
    event: AuditEvent,
  ): Promise<FieldWriteOutcome> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.followUpReminder
          .put(reminder)
          .where(sameAs('version', expectedVersion) as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return result.canceled ? 'conflict' : 'written';
  }
}
