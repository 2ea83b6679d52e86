import type { LocationHistory } from '../../domain/dispatch/dispatch-package.ts';
import type { WorkOrder } from '../../domain/work-orders/work-order.ts';
import type { Entities } from './entities.ts';
import { toWorkOrder } from './work-order-store.ts';

/**
 * The earlier work orders of a service location: one Query on the location index (sorted by
 * creation time, then id), below the given work order's sort key, newest first.
 */
export class DynamoLocationHistory implements LocationHistory {
  constructor(private readonly entities: Entities) {}

  async workOrdersBefore(
    tenantId: string,
    locationId: string,
    before: Pick<WorkOrder, 'createdAt' | 'workOrderId'>,
    limit: number,
  ): Promise<WorkOrder[]> {
    const { data } = await this.entities.workOrder.query
      .byLocation({ tenantId, locationId })
      .lt({ createdAt: before.createdAt, workOrderId: before.workOrderId })
      .go({ order: 'desc', count: limit });
    return data.map(toWorkOrder);
  }
}
