import { TZDate } from '@date-fns/tz';
import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import { getTechnician, type TechnicianStore, type TimeOff, type WeekdayNumber } from './technicians.ts';

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

const parts = (date: string) => date.split('-').map(Number) as [number, number, number];

/**
 * The instant of a local date and time (`HH:mm`) in the time zone, in UTC. A time the clocks
 * skip (02:30 on the spring-forward day) is read as the same time after the change (03:30); a
 * time that happens twice (01:30 on the fall-back day) as its first occurrence.
 */
export function localInstant(date: string, time: string, timeZone: string): string {
  const [year, month, day] = parts(date);
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return new Date(new TZDate(year, month - 1, day, hours, minutes, timeZone).getTime()).toISOString();
}

/**
 * The first instant of a local day and the first of the next one: midnight to midnight in the
 * time zone, so 23 hours on the day the clocks go forward and 25 on the day they go back.
 */
export function localDayBounds(date: string, timeZone: string): Interval {
  const [year, month, day] = parts(date);
  // TZDate rolls day + 1 over the end of the month and the year, as Date does.
  const midnight = (dayOfMonth: number) =>
    new Date(new TZDate(year, month - 1, dayOfMonth, timeZone).getTime()).toISOString();
  return { start: midnight(day), end: midnight(day + 1) };
}

/** The weekday of a calendar day as working hours number it, `0` Sunday to `6` Saturday. */
const weekdayOf = (date: string): WeekdayNumber => {
  const [year, month, day] = parts(date);
  return String(new Date(Date.UTC(year, month - 1, day)).getUTCDay()) as WeekdayNumber;
};

const overlapsDay = (day: Interval, timeOff: TimeOff) =>
  Date.parse(timeOff.start) < Date.parse(day.end) && Date.parse(day.start) < Date.parse(timeOff.end);

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
  const day = localDayBounds(date, timeZone);
  const visits = await dependencies.workOrders.visitsOf(actor.tenantId, technicianId, day.start, day.end);
  const dayStart = Date.parse(day.start);
  return {
    technicianId,
    date,
    timeZone,
    day,
    workingIntervals: (technician.workingHours[weekdayOf(date)] ?? []).map((interval) => ({
      start: localInstant(date, interval.start, timeZone),
      end: localInstant(date, interval.end, timeZone),
    })),
    timeOff: technician.timeOff.filter((timeOff) => overlapsDay(day, timeOff)),
    visits: visits.filter(
      (visit) => visit.scheduledStart !== undefined && Date.parse(visit.scheduledStart) >= dayStart,
    ),
  };
}
