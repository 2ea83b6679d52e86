import type { LocationHistory } from '../../domain/dispatch/dispatch-package.ts';
import type { WorkOrder } from '../../domain/work-orders/work-order.ts';
import type { Entities } from './entities.ts';
import { indexKeys, workOrderPage } from './work-order-index-reads.ts';

/**
 * The earlier work orders of a service location: one Query on the location index (sorted by
 * creation time, then id) for the keys below the given work order's sort key, newest first,
 * then the items from the table.
 */
export class DynamoLocationHistory implements LocationHistory {
  constructor(private readonly entities: Entities) {}

  async workOrdersBefore(
    tenantId: string,
    locationId: string,
    before: Pick<WorkOrder, 'createdAt' | 'workOrderId'>,
    limit: number,
  ): Promise<WorkOrder[]> {
    const { data } = await workOrderPage(
      this.entities,
      { limit, cursor: null },
      (options) =>
        this.entities.workOrder.query
          .byLocation({ tenantId, locationId })
          .lt({ createdAt: before.createdAt, workOrderId: before.workOrderId })
          .go({ ...options, ...indexKeys, order: 'desc' }),
      (workOrder) => workOrder.locationId === locationId,
    );
    return data;
  }
}
