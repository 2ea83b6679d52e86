import type { Clock } from '../../ports/clock.ts';
import type { LaborTimerStore } from '../../ports/field-work-store.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { isOffice, laborAllowedIn } from '../work-orders/lifecycle.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import { detailsOf, fieldEvent } from './field-event.ts';
import type { LaborEntry } from './field-records.ts';

/** A technician's labor timer running on a work order. */
export interface LaborTimer {
  tenantId: string;
  workOrderId: string;
  technicianId: string;
  startedAt: string;
  startedBy: string;
  starterRole: string;
}

export interface LaborTimerDependencies {
  workOrders: WorkOrderStore;
  timers: LaborTimerStore;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * Whose time it is: a technician's own, always (naming another is refused); the office names
 * any technician, or means the assigned one.
 */
export function laborTechnicianOf(actor: Actor, workOrder: WorkOrder, requested?: string): string {
  if (!isOffice(actor) && actor.role !== 'system') {
    if (requested && requested !== actor.technicianId) {
      throw new ValidationError([
        { field: 'body.technicianId', message: 'a technician records their own time' },
      ]);
    }
    if (actor.technicianId) return actor.technicianId;
  }
  const technicianId = requested ?? workOrder.technicianId;
  if (!technicianId) {
    throw new ValidationError([
      { field: 'body.technicianId', message: 'no technician is assigned; name one' },
    ]);
  }
  return technicianId;
}

/**
 * Minutes a timer measured: rounded to the nearest minute, and at least one (a timer started
 * and stopped at once still records that the technician worked on the job).
 */
export function timedMinutes(startedAt: string, endedAt: Date): number {
  return Math.max(1, Math.round((endedAt.getTime() - Date.parse(startedAt)) / 60_000));
}

const laborRefused = (workOrder: WorkOrder) =>
  new ConflictError(`Labor cannot be recorded on a ${workOrder.status} work order`, {
    currentStatus: workOrder.status,
    allowedIn: laborAllowedIn,
  });

const alreadyRunning = (timer: Pick<LaborTimer, 'technicianId' | 'startedAt'>) =>
  new ConflictError(`A labor timer of ${timer.technicianId} has been running since ${timer.startedAt}`, {
    technicianId: timer.technicianId,
    startedAt: timer.startedAt,
  });

const notRunning = (technicianId: string) =>
  new ConflictError(`No labor timer of ${technicianId} is running on this work order`, { technicianId });

/**
 * Starts a technician's labor timer on a work order.
 * 1. The work order must be visible to the actor (office, or the assigned technician: 404 otherwise).
 * 2. A technician times only themself; the office any technician (the assigned one by default).
 * 3. The timer is written only if none runs for that technician on the work order (409 otherwise)
 *    and while the work order takes labor (409 otherwise), with its audit event.
 */
export async function startLaborTimer(
  dependencies: LaborTimerDependencies,
  actor: Actor,
  workOrderId: string,
  input: { technicianId?: string },
): Promise<LaborTimer> {
  const { workOrders, timers, clock, ids } = dependencies;
  const workOrder = await getWorkOrder(workOrders, actor, workOrderId);
  const technicianId = laborTechnicianOf(actor, workOrder, input.technicianId);
  if (!laborAllowedIn.includes(workOrder.status)) throw laborRefused(workOrder);
  const startedAt = clock.now().toISOString();
  const timer: LaborTimer = {
    tenantId: workOrder.tenantId,
    workOrderId,
    technicianId,
    startedAt,
    startedBy: actor.id,
    starterRole: actor.role,
  };
  const event = fieldEvent(
    ids,
    actor,
    workOrder,
    'labor_timer_started',
    startedAt,
    detailsOf({ technicianId, startedAt }),
  );
  const outcome = await timers.startTimer(timer, event, laborAllowedIn);
  if (outcome === 'written') return timer;
  if (outcome === 'workOrderStatus')
    throw laborRefused((await workOrders.get(actor.tenantId, workOrderId)) ?? workOrder);
  throw alreadyRunning((await timers.runningTimer(actor.tenantId, workOrderId, technicianId)) ?? timer);
}

/**
 * Stops a technician's labor timer and records the time as a labor entry.
 * 1. Visibility and whose time as at the start.
 * 2. 409 when no timer of the technician runs on the work order.
 * 3. The entry (start, end, minutes) is written, its minutes added to the work order, and the
 *    timer deleted in one transaction conditional on that very timer: two stops record once.
 */
export async function stopLaborTimer(
  dependencies: LaborTimerDependencies,
  actor: Actor,
  workOrderId: string,
  input: { technicianId?: string },
): Promise<LaborEntry> {
  const { workOrders, timers, clock, ids } = dependencies;
  const workOrder = await getWorkOrder(workOrders, actor, workOrderId);
  const technicianId = laborTechnicianOf(actor, workOrder, input.technicianId);
  const timer = await timers.runningTimer(actor.tenantId, workOrderId, technicianId);
  if (!timer) throw notRunning(technicianId);
  if (!laborAllowedIn.includes(workOrder.status)) throw laborRefused(workOrder);
  const now = clock.now();
  const at = now.toISOString();
  const entry: LaborEntry = {
    tenantId: workOrder.tenantId,
    workOrderId,
    laborId: ids.next('lab'),
    technicianId,
    minutes: timedMinutes(timer.startedAt, now),
    startedAt: timer.startedAt,
    endedAt: at,
    recordedBy: actor.id,
    at,
  };
  const event = fieldEvent(
    ids,
    actor,
    workOrder,
    'labor_recorded',
    at,
    detailsOf({
      laborId: entry.laborId,
      technicianId,
      minutes: entry.minutes,
      startedAt: entry.startedAt,
      endedAt: entry.endedAt,
      timer: true,
    }),
  );
  const outcome = await timers.stopTimer(timer, entry, event, laborAllowedIn);
  if (outcome === 'written') return entry;
  if (outcome === 'workOrderStatus')
    throw laborRefused((await workOrders.get(actor.tenantId, workOrderId)) ?? workOrder);
  throw notRunning(technicianId);
}

/** The labor of a work order: the entries recorded, and the timers still running. */
export async function laborOf(
  dependencies: Pick<LaborTimerDependencies, 'workOrders' | 'timers'>,
  actor: Actor,
  workOrderId: string,
): Promise<{ entries: LaborEntry[]; running: LaborTimer[] }> {
  const { workOrders, timers } = dependencies;
  await getWorkOrder(workOrders, actor, workOrderId);
  const [entries, running] = await Promise.all([
    workOrders.laborEntries(actor.tenantId, workOrderId),
    timers.runningTimers(actor.tenantId, workOrderId),
  ]);
  return { entries, running };
}
