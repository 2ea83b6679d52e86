import type {
  CustomerNotification,
  NotificationReference,
  NotificationStatus,
} from '../../domain/notifications/notification.ts';
import type { AuditEvent } from '../../domain/work-orders/work-order.ts';
import type { NotificationLog, NotificationPage } from '../../ports/notification-log.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import { sameAs } from './conditions.ts';
import type { Entities } from './entities.ts';
import { pagedQuery } from './paging.ts';

/** The partition a message lives in: its work order's item collection, else its customer's. */
const ownerKeyOf = (reference: { workOrderId?: string; customerId: string }) =>
  reference.workOrderId ? `workorderid_${reference.workOrderId}` : `customerid_${reference.customerId}`;

type Stored = CustomerNotification & { ownerKey?: string };

function notificationOf(item: Stored): CustomerNotification {
  const { ownerKey: _ownerKey, ...notification } = item;
  return notification;
}

/**
 * The message log in the single table: each message beside its work order (or customer), a
 * dedupe item per dedupe key and channel written with it in one transaction, and the status
 * index (`gsi2`) for the office's lists of failed and held messages.
 */
export class DynamoNotificationLog implements NotificationLog {
  constructor(private readonly entities: Entities) {}

  async create(notification: CustomerNotification): Promise<boolean> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.notificationDedupe
          .create({
            tenantId: notification.tenantId,
            dedupeKey: notification.dedupeKey,
            channel: notification.channel,
            notificationId: notification.notificationId,
            customerId: notification.customerId,
            ...(notification.workOrderId ? { workOrderId: notification.workOrderId } : {}),
            createdAt: notification.createdAt,
          })
          .commit(),
        entity.customerNotification.create({ ...notification, ownerKey: ownerKeyOf(notification) }).commit(),
      ])
      .go();
    return !result.canceled;
  }

  async findByDedupeKey(
    tenantId: string,
    dedupeKey: string,
    channel: CustomerNotification['channel'],
  ): Promise<CustomerNotification | undefined> {
    const { data } = await this.entities.notificationDedupe
      .get({ tenantId, dedupeKey, channel })
      .go({ consistent: true });
    if (!data) return undefined;
    return this.get({
      tenantId,
      notificationId: data.notificationId,
      customerId: data.customerId,
      ...(data.workOrderId ? { workOrderId: data.workOrderId } : {}),
    });
  }

  async get(reference: NotificationReference): Promise<CustomerNotification | undefined> {
    const { data } = await this.entities.customerNotification
      .get({
        tenantId: reference.tenantId,
        ownerKey: ownerKeyOf(reference),
        notificationId: reference.notificationId,
      })
      .go({ consistent: true });
    return data ? notificationOf(data as Stored) : undefined;
  }

  async update(next: CustomerNotification, expectedVersion: number, event?: AuditEvent): Promise<boolean> {
    const item = { ...next, ownerKey: ownerKeyOf(next) };
    const atVersion = sameAs('version', expectedVersion) as never;
    if (!event) {
      try {
        await this.entities.customerNotification.put(item).where(atVersion).go();
        return true;
      } catch (error) {
        if (isConditionalCheckFailure(error)) return false;
        throw error;
      }
    }
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.customerNotification.put(item).where(atVersion).commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return !result.canceled;
  }

  async listForWorkOrder(tenantId: string, workOrderId: string): Promise<CustomerNotification[]> {
    const { data } = await this.entities.customerNotification.query
      .byOwner({ tenantId, ownerKey: ownerKeyOf({ workOrderId, customerId: '' }) })
      .go({ pages: 'all', order: 'asc' });
    return (data as Stored[]).map(notificationOf);
  }

  async listByStatus(
    tenantId: string,
    status: NotificationStatus,
    page: { limit: number; cursor?: string },
  ): Promise<NotificationPage> {
    const result = await pagedQuery(page, (options) =>
      this.entities.customerNotification.query
        .byStatus({ tenantId, status })
        .go({ ...options, order: 'desc' }),
    );
    return { ...result, items: (result.items as Stored[]).map(notificationOf) };
  }
}
