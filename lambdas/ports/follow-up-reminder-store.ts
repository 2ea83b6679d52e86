import type { FollowUpReminder, FollowUpReminderStatus } from '../domain/work-orders/follow-up-reminders.ts';
import type { AuditEvent } from '../domain/work-orders/work-order.ts';
import type { FieldWriteOutcome } from './field-work-store.ts';
import type { Page } from './work-order-store.ts';

/**
 * Follow-up reminders: in their work order's item collection, by tenant and status in due-day
 * order, and by id alone (the office cancels one by its id).
 */
export interface FollowUpReminderStore {
  /** Writes the reminder with its audit event while its work order exists. */
  addReminder(reminder: FollowUpReminder, event: AuditEvent): Promise<FieldWriteOutcome>;
  getReminder(
    tenantId: string,
    workOrderId: string,
    reminderId: string,
  ): Promise<FollowUpReminder | undefined>;
  /** The reminder with this id in the tenant, whichever work order holds it. */
  findReminder(tenantId: string, reminderId: string): Promise<FollowUpReminder | undefined>;
  /** The reminders of one work order, oldest first. */
  remindersOf(tenantId: string, workOrderId: string): Promise<FollowUpReminder[]>;
  /** The tenant's reminders of a status, soonest due first. */
  remindersDue(
    tenantId: string,
    status: FollowUpReminderStatus,
    page: { limit: number; cursor?: string },
  ): Promise<Page<FollowUpReminder>>;
  /** Replaces the reminder if it is still at `expectedVersion`, with its audit event. */
  updateReminder(
    reminder: FollowUpReminder,
    expectedVersion: number,
    event: AuditEvent,
  ): Promise<FieldWriteOutcome>;
}
