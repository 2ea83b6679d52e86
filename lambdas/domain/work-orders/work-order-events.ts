import { z } from 'zod';
import type { DomainEvent } from '../../ports/event-publisher.ts';
import type { WorkOrder } from './work-order.ts';

/** `WorkOrderCreated` v1: the contract producers and consumers share. */
export const workOrderCreated = {
  type: 'WorkOrderCreated',
  version: 1,
  detail: z.object({
    workOrderId: z.string(),
    customerId: z.string(),
    locationId: z.string().optional(),
    serviceTypeId: z.string().optional(),
    priority: z.enum(['routine', 'urgent', 'emergency']),
    status: z.literal('new'),
    createdAt: z.string(),
  }),
} as const;

export type WorkOrderCreatedDetail = z.infer<typeof workOrderCreated.detail>;

export function workOrderCreatedEvent(workOrder: WorkOrder): DomainEvent<WorkOrderCreatedDetail> {
  return {
    type: workOrderCreated.type,
    version: workOrderCreated.version,
    tenantId: workOrder.tenantId,
    occurredAt: workOrder.createdAt,
    detail: workOrderCreated.detail.parse({
      workOrderId: workOrder.workOrderId,
      customerId: workOrder.customerId,
      locationId: workOrder.locationId,
      serviceTypeId: workOrder.serviceTypeId,
      priority: workOrder.priority,
      status: 'new',
      createdAt: workOrder.createdAt,
    }),
  };
}
