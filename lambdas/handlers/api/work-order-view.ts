import type { WorkOrder } from '../../domain/work-orders/work-order.ts';
import type { WorkOrderView } from '../../schemas/work-orders.ts';

/** The API's view of a work order: no tenant id, no task token. */
export function toWorkOrderView(workOrder: WorkOrder): WorkOrderView {
  return {
    id: workOrder.workOrderId,
    status: workOrder.status,
    priority: workOrder.priority,
    description: workOrder.description,
    customerId: workOrder.customerId,
    ...(workOrder.locationId ? { locationId: workOrder.locationId } : {}),
    ...(workOrder.serviceTypeId ? { serviceTypeId: workOrder.serviceTypeId } : {}),
    ...(workOrder.accessNotes ? { accessNotes: workOrder.accessNotes } : {}),
    workflow: {
      state: workOrder.workflowState,
      since: workOrder.workflowStateSince,
      executionName: workOrder.workOrderId,
    },
    version: workOrder.version,
    createdAt: workOrder.createdAt,
    updatedAt: workOrder.updatedAt,
    createdBy: workOrder.createdBy,
  };
}
