import type {
  CustomerNotification,
  NotificationReference,
  NotificationStatus,
} from '../domain/notifications/notification.ts';
import type { AuditEvent } from '../domain/work-orders/work-order.ts';

export interface NotificationPage {
  items: CustomerNotification[];
  nextCursor?: string;
}

/** The log of customer messages, one item per message and channel. */
export interface NotificationLog {
  /**
   * Records a new message; false (and nothing written) when a message with the same dedupe key
   * and channel is recorded already.
   */
  create(notification: CustomerNotification): Promise<boolean>;
  /** The message recorded under a dedupe key and channel. */
  findByDedupeKey(
    tenantId: string,
    dedupeKey: string,
    channel: CustomerNotification['channel'],
  ): Promise<CustomerNotification | undefined>;
  get(reference: NotificationReference): Promise<CustomerNotification | undefined>;
  /**
   * Replaces the message if it is still at `expectedVersion`, with the audit event on its work
   * order in the same transaction when one is given; false when it changed meanwhile.
   */
  update(next: CustomerNotification, expectedVersion: number, event?: AuditEvent): Promise<boolean>;
  /** The messages of a work order, oldest first. */
  listForWorkOrder(tenantId: string, workOrderId: string): Promise<CustomerNotification[]>;
  /** The tenant's messages in a status, newest first. */
  listByStatus(
    tenantId: string,
    status: NotificationStatus,
    page: { limit: number; cursor?: string },
  ): Promise<NotificationPage>;
}
