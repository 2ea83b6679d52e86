import type { Page, WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Actor } from '../shared/actor.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import type { Technician, TechnicianStore } from './technicians.ts';

export interface BoardLane {
  technician: Pick<Technician, 'technicianId' | 'name' | 'skills'>;
  /** The technician's visits of the day in time order. */
  workOrders: WorkOrder[];
}

export interface DispatchBoard {
  date: string;
  lanes: BoardLane[];
  /** Booked for the day but not yet given to a technician, in time order. */
  unassigned: WorkOrder[];
}

/** A day of a busy tenant fits in these many pages; more would be a board nobody can read. */
const maxPages = 20;

async function everyPage<T>(read: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await read(cursor);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}

const byStart = (a: WorkOrder, b: WorkOrder) =>
  (a.scheduledStart ?? '').localeCompare(b.scheduledStart ?? '');

/**
 * The dispatch board of one local day: a lane per active technician with their visits in
 * time order, and the day's visits nobody has been given yet. Cancelled visits are left out.
 * Reads the day through the board index and the technicians through the tenant index.
 */
export async function dispatchBoard(
  dependencies: { workOrders: WorkOrderStore; technicians: TechnicianStore },
  actor: Actor,
  date: string,
): Promise<DispatchBoard> {
  const [workOrders, technicians] = await Promise.all([
    everyPage((cursor) =>
      dependencies.workOrders.list(
        { tenantId: actor.tenantId, from: date, to: date },
        { limit: 100, ...(cursor ? { cursor } : {}) },
      ),
    ),
    everyPage((cursor) =>
      dependencies.technicians.list(actor.tenantId, {}, { limit: 100, ...(cursor ? { cursor } : {}) }),
    ),
  ]);
  const visits = workOrders.filter((workOrder) => workOrder.status !== 'cancelled').sort(byStart);
  const known = new Set(technicians.map((technician) => technician.technicianId));
  const lanes = technicians
    .filter(
      (technician) =>
        technician.active || visits.some((visit) => visit.technicianId === technician.technicianId),
    )
    .map((technician) => ({
      technician: { technicianId: technician.technicianId, name: technician.name, skills: technician.skills },
      workOrders: visits.filter((visit) => visit.technicianId === technician.technicianId),
    }));
  return {
    date,
    lanes,
    unassigned: visits.filter((visit) => !visit.technicianId || !known.has(visit.technicianId)),
  };
}
