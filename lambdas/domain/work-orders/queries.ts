import type { Page, WorkOrderFilter, WorkOrderStore } from '../../ports/work-order-store.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { LaborEntry, WorkOrderNote } from '../execution/field-records.ts';
import type { Actor } from '../shared/actor.ts';
import { canSee } from './lifecycle.ts';
import type { AuditEvent, WorkOrder } from './work-order.ts';

/**
 * Reads one work order of the actor's tenant. Keys are built with the actor's tenant, so
 * another tenant's id is simply not found; so is a work order not assigned to a technician.
 */
export async function getWorkOrder(
  store: WorkOrderStore,
  actor: Actor,
  workOrderId: string,
): Promise<WorkOrder> {
  const workOrder = await store.get(actor.tenantId, workOrderId);
  if (!workOrder || !canSee(actor, workOrder)) throw new NotFoundError('Work order', workOrderId);
  return workOrder;
}

/** Lists work orders by the given filters; a technician only ever lists their own. */
export async function listWorkOrders(
  store: WorkOrderStore,
  actor: Actor,
  filter: Omit<WorkOrderFilter, 'tenantId'>,
  page: { limit: number; cursor?: string },
): Promise<Page<WorkOrder>> {
  const own = actor.role === 'technician' ? { technicianId: actor.technicianId } : {};
  return store.list({ ...filter, ...own, tenantId: actor.tenantId }, page);
}

/** The audit trail of a work order, oldest first. */
export async function workOrderTimeline(
  store: WorkOrderStore,
  actor: Actor,
  workOrderId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<AuditEvent>> {
  await getWorkOrder(store, actor, workOrderId);
  return store.timeline(actor.tenantId, workOrderId, page);
}

export async function workOrderNotes(
  store: WorkOrderStore,
  actor: Actor,
  workOrderId: string,
): Promise<WorkOrderNote[]> {
  await getWorkOrder(store, actor, workOrderId);
  return store.notes(actor.tenantId, workOrderId);
}

export async function workOrderLabor(
  store: WorkOrderStore,
  actor: Actor,
  workOrderId: string,
): Promise<LaborEntry[]> {
  await getWorkOrder(store, actor, workOrderId);
  return store.laborEntries(actor.tenantId, workOrderId);
}
