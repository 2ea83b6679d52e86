import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import type { WorkOrder } from './work-order.ts';

/**
 * Reads one work order of the actor's tenant. Keys are built with the actor's tenant, so
 * another tenant's id is simply not found.
 */
export async function getWorkOrder(
  store: WorkOrderStore,
  actor: Actor,
  workOrderId: string,
): Promise<WorkOrder> {
  const workOrder = await store.get(actor.tenantId, workOrderId);
  if (!workOrder) throw new NotFoundError('Work order', workOrderId);
  return workOrder;
}
