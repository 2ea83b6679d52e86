import type { NotificationLog, NotificationPage } from '../../ports/notification-log.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Actor } from '../shared/actor.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import type { CustomerNotification, NotificationStatus } from './notification.ts';

/** The messages sent to the customer about a work order the actor may see (404 otherwise). */
export async function workOrderNotifications(
  dependencies: { workOrders: WorkOrderStore; notifications: NotificationLog },
  actor: Actor,
  workOrderId: string,
): Promise<CustomerNotification[]> {
  await getWorkOrder(dependencies.workOrders, actor, workOrderId);
  return dependencies.notifications.listForWorkOrder(actor.tenantId, workOrderId);
}

/** The tenant's messages of one status, newest first: the office's list of failed and held ones. */
export function notificationsByStatus(
  dependencies: { notifications: NotificationLog },
  actor: Actor,
  status: NotificationStatus,
  page: { limit: number; cursor?: string },
): Promise<NotificationPage> {
  return dependencies.notifications.listByStatus(actor.tenantId, status, page);
}
