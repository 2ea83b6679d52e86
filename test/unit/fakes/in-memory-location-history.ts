import type { LocationHistory } from '../../../lambdas/domain/dispatch/dispatch-package.ts';
import type { WorkOrder } from '../../../lambdas/domain/work-orders/work-order.ts';
import type { InMemoryWorkOrderStore } from './in-memory-work-order-store.ts';

const sortKey = (workOrder: Pick<WorkOrder, 'createdAt' | 'workOrderId'>) =>
  `${workOrder.createdAt}#${workOrder.workOrderId}`;

/** The location index over the work orders of an in-memory store: created before, newest first. */
export class InMemoryLocationHistory implements LocationHistory {
  readonly reads: { locationId: string; limit: number }[] = [];

  constructor(private readonly workOrders: InMemoryWorkOrderStore) {}

  async workOrdersBefore(
    tenantId: string,
    locationId: string,
    before: Pick<WorkOrder, 'createdAt' | 'workOrderId'>,
    limit: number,
  ): Promise<WorkOrder[]> {
    this.reads.push({ locationId, limit });
    return this.workOrders
      .all()
      .filter(
        (workOrder) =>
          workOrder.tenantId === tenantId &&
          workOrder.locationId === locationId &&
          sortKey(workOrder) < sortKey(before),
      )
      .sort((first, second) => sortKey(second).localeCompare(sortKey(first)))
      .slice(0, limit);
  }
}
