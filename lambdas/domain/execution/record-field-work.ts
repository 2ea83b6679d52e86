import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import { ConflictError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { laborAllowedIn, notesAllowedIn } from '../work-orders/lifecycle.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import { detailsOf, fieldEvent } from './field-event.ts';
import type { LaborEntry, WorkOrderNote } from './field-records.ts';
import { laborTechnicianOf } from './labor-timers.ts';

export interface FieldWorkDependencies {
  workOrders: WorkOrderStore;
  clock: Clock;
  ids: IdGenerator;
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
  const workOrder = await getWorkOrder(workOrders, actor, workOrderId);
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
  const event = fieldEvent(ids, actor, workOrder, 'note_added', at, detailsOf({ noteId: note.noteId, text }));
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
  const workOrder = await getWorkOrder(workOrders, actor, workOrderId);
  const technicianId = laborTechnicianOf(actor, workOrder, input.technicianId);
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
  const event = fieldEvent(
    ids,
    actor,
    workOrder,
    'labor_recorded',
    at,
    detailsOf({ laborId: entry.laborId, technicianId, minutes: input.minutes }),
  );
  if (!(await workOrders.addLabor(entry, event, laborAllowedIn))) {
    throw new ConflictError(`Labor cannot be recorded on a ${workOrder.status} work order`, {
      currentStatus: workOrder.status,
      allowedIn: laborAllowedIn,
    });
  }
  return entry;
}
