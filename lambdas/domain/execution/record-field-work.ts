import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { canSee, isOffice, laborAllowedIn, notesAllowedIn } from '../work-orders/lifecycle.ts';
import type { AuditEvent, WorkOrder } from '../work-orders/work-order.ts';
import type { LaborEntry, WorkOrderNote } from './field-records.ts';

export interface FieldWorkDependencies {
  workOrders: WorkOrderStore;
  clock: Clock;
  ids: IdGenerator;
}

async function visibleWorkOrder(
  workOrders: WorkOrderStore,
  actor: Actor,
  workOrderId: string,
): Promise<WorkOrder> {
  const workOrder = await workOrders.get(actor.tenantId, workOrderId);
  if (!workOrder || !canSee(actor, workOrder)) throw new NotFoundError('Work order', workOrderId);
  return workOrder;
}

function fieldEvent(
  ids: IdGenerator,
  actor: Actor,
  workOrder: WorkOrder,
  action: string,
  at: string,
  details: object,
): AuditEvent {
  return {
    tenantId: workOrder.tenantId,
    workOrderId: workOrder.workOrderId,
    eventId: ids.next('evt'),
    action,
    actorId: actor.id,
    actorRole: actor.role,
    at,
    changes: { details: { after: details } },
  };
}

/**
 * Adds a time-stamped note. Notes never conflict with each other or with transitions: each
 * is its own item, counted on the work order with an atomic add.
 */
export async function addNote(
  dependencies: FieldWorkDependencies,
  actor: Actor,
  workOrderId: string,
  text: string,
): Promise<WorkOrderNote> {
  const { workOrders, clock, ids } = dependencies;
  const workOrder = await visibleWorkOrder(workOrders, actor, workOrderId);
  const at = clock.now().toISOString();
  const note: WorkOrderNote = {
    tenantId: workOrder.tenantId,
    workOrderId,
    noteId: ids.next('not'),
    text,
    authorId: actor.id,
    authorRole: actor.role,
    at,
  };
  const event = fieldEvent(ids, actor, workOrder, 'note_added', at, { noteId: note.noteId, text });
  if (!(await workOrders.addNote(note, event, notesAllowedIn))) {
    throw new ConflictError(`Notes cannot be added to a ${workOrder.status} work order`, {
      currentStatus: workOrder.status,
    });
  }
  return note;
}

/** Records time worked, by the assigned technician (or the office, for any technician). */
export async function recordLabor(
  dependencies: FieldWorkDependencies,
  actor: Actor,
  workOrderId: string,
  input: { minutes: number; technicianId?: string; startedAt?: string },
): Promise<LaborEntry> {
  const { workOrders, clock, ids } = dependencies;
  const workOrder = await visibleWorkOrder(workOrders, actor, workOrderId);
  const technicianId = isOffice(actor) ? (input.technicianId ?? workOrder.technicianId) : actor.technicianId;
  if (!technicianId)
    throw new ValidationError([
      { field: 'body.technicianId', message: 'no technician is assigned; name one' },
    ]);
  if (!isOffice(actor) && input.technicianId && input.technicianId !== actor.technicianId) {
    throw new ValidationError([
      { field: 'body.technicianId', message: 'a technician records their own time' },
    ]);
  }
  const at = clock.now().toISOString();
  const entry: LaborEntry = {
    tenantId: workOrder.tenantId,
    workOrderId,
    laborId: ids.next('lab'),
    technicianId,
    minutes: input.minutes,
    ...(input.startedAt ? { startedAt: input.startedAt } : {}),
    recordedBy: actor.id,
    at,
  };
  const event = fieldEvent(ids, actor, workOrder, 'labor_recorded', at, {
    laborId: entry.laborId,
    technicianId,
    minutes: input.minutes,
  });
  if (!(await workOrders.addLabor(entry, event, laborAllowedIn))) {
    throw new ConflictError(`Labor cannot be recorded on a ${workOrder.status} work order`, {
      currentStatus: workOrder.status,
      allowedIn: laborAllowedIn,
    });
  }
  return entry;
}
