import type {
  CustomerNotification,
  NotificationReference,
  NotificationStatus,
} from '../../../lambdas/domain/notifications/notification.ts';
import type { AuditEvent } from '../../../lambdas/domain/work-orders/work-order.ts';
import type { NotificationLog, NotificationPage } from '../../../lambdas/ports/notification-log.ts';

/**
 * The message log in memory, with the adapter's rules: one message per dedupe key and channel,
 * updates only on the version read. The audit events written with updates go to `events`, and to
 * the work-order store given, so a test reads them on the work order's timeline.
 */
export class InMemoryNotificationLog implements NotificationLog {
  readonly notifications = new Map<string, CustomerNotification>();
  readonly events: AuditEvent[] = [];
  private readonly dedupe = new Map<string, string>();

  constructor(private readonly workOrders?: { appendEvent(event: AuditEvent): Promise<void> }) {}

  async create(notification: CustomerNotification): Promise<boolean> {
    const key = `${notification.tenantId}#${notification.dedupeKey}#${notification.channel}`;
    if (this.dedupe.has(key)) return false;
    this.dedupe.set(key, notification.notificationId);
    this.notifications.set(idOf(notification), structuredClone(notification));
    return true;
  }

  async findByDedupeKey(
    tenantId: string,
    dedupeKey: string,
    channel: CustomerNotification['channel'],
  ): Promise<CustomerNotification | undefined> {
    const id = this.dedupe.get(`${tenantId}#${dedupeKey}#${channel}`);
    const found = id ? this.notifications.get(`${tenantId}#${id}`) : undefined;
    return found ? structuredClone(found) : undefined;
  }

  async get(reference: NotificationReference): Promise<CustomerNotification | undefined> {
    const found = this.notifications.get(idOf(reference));
    return found && found.customerId === reference.customerId ? structuredClone(found) : undefined;
  }

  async update(next: CustomerNotification, expectedVersion: number, event?: AuditEvent): Promise<boolean> {
    const current = this.notifications.get(idOf(next));
    if (current?.version !== expectedVersion) return false;
    this.notifications.set(idOf(next), structuredClone(next));
    if (event) {
      this.events.push(structuredClone(event));
      await this.workOrders?.appendEvent(event);
    }
    return true;
  }

  async listForWorkOrder(tenantId: string, workOrderId: string): Promise<CustomerNotification[]> {
    return this.all()
      .filter((item) => item.tenantId === tenantId && item.workOrderId === workOrderId)
      .sort((a, b) => a.notificationId.localeCompare(b.notificationId));
  }

  async listByStatus(
    tenantId: string,
    status: NotificationStatus,
    page: { limit: number; cursor?: string },
  ): Promise<NotificationPage> {
    const matching = this.all()
      .filter((item) => item.tenantId === tenantId && item.status === status)
      .sort(
        (a, b) => b.createdAt.localeCompare(a.createdAt) || b.notificationId.localeCompare(a.notificationId),
      );
    const start = page.cursor ? Number(page.cursor) : 0;
    const items = matching.slice(start, start + page.limit);
    return {
      items,
      ...(start + page.limit < matching.length ? { nextCursor: String(start + page.limit) } : {}),
    };
  }

  /** Every message recorded, in the order recorded. */
  all(): CustomerNotification[] {
    return [...this.notifications.values()].map((item) => structuredClone(item));
  }
}

const idOf = (reference: { tenantId: string; notificationId: string }) =>
  `${reference.tenantId}#${reference.notificationId}`;
