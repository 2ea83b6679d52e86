import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import { LocalCalendar, weekdayOf } from './local-time.ts';
import { getTechnician, type TechnicianStore, type TimeOff } from './technicians.ts';

/** A stretch of time between two instants, ISO 8601 in UTC; the end is not part of it. */
export interface Interval {
  start: string;
  end: string;
}

export interface TechnicianSchedule {
  technicianId: string;
  date: string;
  timeZone: string;
  /** The local day as instants: 24 hours apart, but 23 or 25 on the days the clocks change. */
  day: Interval;
  /** The day's working hours as instants, in start order. */
  workingIntervals: Interval[];
  /** Time off that shares at least an instant with the day, whole, in start order. */
  timeOff: TimeOff[];
  /** The visits starting on the day, in time order; cancelled ones left out. */
  visits: WorkOrder[];
}

export interface TechnicianScheduleDependencies {
  workOrders: Pick<WorkOrderStore, 'visitsOf'>;
  technicians: Pick<TechnicianStore, 'get'>;
  tenants: Pick<DirectoryStore, 'getTenant'>;
}

const overlapsDay = (day: { start: number; end: number }, timeOff: TimeOff) =>
  Date.parse(timeOff.start) < day.end && day.start < Date.parse(timeOff.end);

/**
 * A technician's day: their visits of that local day (the tenant's time zone) in time order,
 * their working hours of that day and the time off overlapping it, all as instants.
 * 1. Reads the tenant (for its time zone) and the technician (404 if not the tenant's, or if a
 *    technician asks for someone else's).
 * 2. Turns the local day into its start and end instants.
 * 3. Reads the technician's visits of the range with one Query and keeps those starting in the
 *    day (the read also returns visits begun the evening before).
 */
export async function technicianSchedule(
  dependencies: TechnicianScheduleDependencies,
  actor: Actor,
  technicianId: string,
  date: string,
): Promise<TechnicianSchedule> {
  const [tenant, technician] = await Promise.all([
    dependencies.tenants.getTenant(actor.tenantId),
    getTechnician(dependencies.technicians, actor, technicianId),
  ]);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  const { timeZone } = tenant;
  const calendar = new LocalCalendar(timeZone);
  const iso = (instant: number) => new Date(instant).toISOString();
  const bounds = calendar.dayBounds(date);
  const day = { start: iso(bounds.start), end: iso(bounds.end) };
  const visits = await dependencies.workOrders.visitsOf(actor.tenantId, technicianId, day.start, day.end);
  return {
    technicianId,
    date,
    timeZone,
    day,
    workingIntervals: (technician.workingHours[weekdayOf(date)] ?? []).map((interval) => ({
      start: iso(calendar.instantOf(date, interval.start)),
      end: iso(calendar.instantOf(date, interval.end)),
    })),
    timeOff: technician.timeOff.filter((timeOff) => overlapsDay(bounds, timeOff)),
    visits: visits.filter(
      (visit) => visit.scheduledStart !== undefined && Date.parse(visit.scheduledStart) >= bounds.start,
    ),
  };
}
