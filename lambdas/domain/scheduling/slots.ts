import type { Clock } from '../../ports/clock.ts';
import type { JobDurationStore } from '../../ports/job-duration-store.ts';
import type { Coordinates, TravelTimes } from '../../ports/travel-times.ts';
import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../shared/errors.ts';
import type { Tenant } from '../customers/customer.ts';
import type { Actor } from '../shared/actor.ts';
import type { WorkOrder, WorkOrderStatus } from '../work-orders/work-order.ts';
import type { Visit } from './agenda.ts';
import { addLocalDays, isLocalDay, LocalCalendar } from './local-time.ts';
import { type SchedulingSettings, schedulingSettingsOf } from './scheduling-settings.ts';
import {
  findSlots,
  qualifies,
  type Slot,
  type SlotSearch,
  type TechnicianBookings,
  type TimePreferences,
} from './slot-finder.ts';
import type { Technician, TechnicianStore } from './technicians.ts';
import { TravelMatrix, unknownPlace } from './travel-matrix.ts';

export interface SlotDependencies {
  workOrders: Pick<WorkOrderStore, 'get' | 'visitsOf'>;
  directory: Pick<
    DirectoryStore,
    'getTenant' | 'getServiceType' | 'getCustomer' | 'getLocation' | 'getLocations'
  >;
  technicians: Pick<TechnicianStore, 'list'>;
  /** Past jobs' durations: a service type's visit length once there are enough of them. */
  durations: JobDurationStore;
  /** Travel times at the tenant's average speed (or from a routing service). */
  travelTimes: (settings: SchedulingSettings) => TravelTimes;
  clock: Clock;
}

/** What the office asks for: a time range (local days or instants) and how many slots. */
export interface SlotQuery {
  from?: string;
  to?: string;
  limit?: number;
}

/** The longest range one search covers. */
export const maxSearchDays = 31;
const defaultSearchDays = 14;
const dayMs = 86_400_000;
/** Visits read around the range: one may begin before it and still be running, or follow a slot at its end. */
const visitMarginMs = dayMs;
/** Technicians' visits are read this many at a time. */
const readConcurrency = 16;

/** Statuses of visits that hold a technician's time. */
const holdingTime: WorkOrderStatus[] = [
  'scheduled',
  'dispatched',
  'en_route',
  'arrived',
  'in_progress',
  'paused',
  'on_hold',
];
/** On site: a visit still running past its booked end keeps its technician until it ends. */
const underway: WorkOrderStatus[] = ['arrived', 'in_progress', 'paused'];

/**
 * The instants a query names. A local day stands for the whole day in the tenant's time zone
 * (`to` inclusive); an instant (ISO 8601 with an offset) is taken as it is. Nothing before now
 * is searched. At most `maxSearchDays`; 400 naming the field otherwise.
 */
export function searchRange(
  query: SlotQuery,
  calendar: LocalCalendar,
  now: number,
): { from: number; to: number } {
  const instant = (value: string, field: string, endOfDay: boolean): number => {
    if (isLocalDay(value)) {
      const bounds = calendar.dayBounds(value);
      return endOfDay ? bounds.end : bounds.start;
    }
    const at = Date.parse(value);
    if (Number.isNaN(at) || !/[T ]\d{2}:\d{2}/.test(value)) {
      throw new ValidationError([{ field, message: 'must be a day YYYY-MM-DD or an ISO 8601 date-time' }]);
    }
    return at;
  };
  const from = Math.max(query.from ? instant(query.from, 'query.from', false) : now, now);
  const to = query.to
    ? instant(query.to, 'query.to', true)
    : calendar.dayBounds(addLocalDays(calendar.dayOf(from), defaultSearchDays - 1)).end;
  if (to <= from)
    throw new ValidationError([{ field: 'query.to', message: 'must be after from (and after now)' }]);
  if (to - from > maxSearchDays * dayMs + 2 * 3_600_000) {
    throw new ValidationError([
      { field: 'query.to', message: `a search covers at most ${maxSearchDays} days` },
    ]);
  }
  return { from, to };
}

/** The coordinates of a place, when it has both. */
export const coordinatesOf = (
  place: { latitude?: number; longitude?: number } | undefined,
): Coordinates | undefined =>
  place?.latitude !== undefined && place.longitude !== undefined
    ? { latitude: place.latitude, longitude: place.longitude }
    : undefined;

async function inBatches<T, R>(items: T[], size: number, read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let index = 0; index < items.length; index += size) {
    results.push(...(await Promise.all(items.slice(index, index + size).map(read))));
  }
  return results;
}

/** Every active technician of the tenant who has the skills, read through the tenant index. */
export async function qualifiedTechnicians(
  technicians: Pick<TechnicianStore, 'list'>,
  tenantId: string,
  requiredSkills: string[],
): Promise<Technician[]> {
  const found: Technician[] = [];
  const skill = requiredSkills[0];
  let cursor: string | undefined;
  do {
    const page = await technicians.list(tenantId, skill ? { skill } : {}, {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    found.push(...page.items.filter((technician) => qualifies(technician, requiredSkills)));
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/**
 * The booked visits of each technician around the range, with the coordinates of their
 * locations: one Query per technician on the schedule index and one BatchGet of locations.
 */
export async function bookingsOf<T extends { technicianId: string }>(
  dependencies: {
    workOrders: Pick<WorkOrderStore, 'visitsOf'>;
    directory: Pick<DirectoryStore, 'getLocations'>;
  },
  tenantId: string,
  technicians: T[],
  range: { from: number; to: number },
): Promise<{ technician: T; visits: Visit[] }[]> {
  const from = new Date(range.from).toISOString();
  const to = new Date(range.to + visitMarginMs).toISOString();
  const visitsByTechnician = await inBatches(technicians, readConcurrency, (technician) =>
    dependencies.workOrders.visitsOf(tenantId, technician.technicianId, from, to),
  );
  const locationIds = visitsByTechnician
    .flat()
    .flatMap((visit) => (visit.locationId ? [visit.locationId] : []));
  const locations = new Map(
    (await dependencies.directory.getLocations(tenantId, locationIds)).map((location) => [
      location.locationId,
      coordinatesOf(location),
    ]),
  );
  return technicians.map((technician, index) => ({
    technician,
    visits: (visitsByTechnician[index] ?? []).flatMap((workOrder) => toVisit(workOrder, locations)),
  }));
}

function toVisit(workOrder: WorkOrder, locations: Map<string, Coordinates | undefined>): Visit[] {
  if (!workOrder.scheduledStart || !workOrder.scheduledEnd || !holdingTime.includes(workOrder.status))
    return [];
  const location = workOrder.locationId ? locations.get(workOrder.locationId) : undefined;
  return [
    {
      workOrderId: workOrder.workOrderId,
      start: Date.parse(workOrder.scheduledStart),
      end: Date.parse(workOrder.scheduledEnd),
      ...(location ? { location } : {}),
      ...(underway.includes(workOrder.status) ? { underway: true } : {}),
    },
  ];
}

/**
 * Announces every leg a search over these bookings can ask for, then asks the port once. The
 * visit of `workOrderId` (the work order being rebooked) is left out, as the search leaves it
 * out of its technician's day: the visits either side of it become neighbours.
 */
export async function travelFor(
  bookings: TechnicianBookings[],
  location: Coordinates | undefined,
  travel: TravelTimes,
  workOrderId?: string,
): Promise<TravelMatrix> {
  // At most: the service location, and per technician the home base and each visit's place;
  // to and from the home base, and per visit to and from the service location and the home
  // base, and from the visit before.
  const visits = bookings.reduce((sum, booked) => sum + booked.visits.length, 0);
  const matrix = new TravelMatrix({
    places: 1 + bookings.length + visits,
    legs: 2 * bookings.length + 5 * visits,
  });
  const there = matrix.placeOf(location);
  for (const { technician, visits } of bookings) {
    const home = matrix.placeOf(technician.homeBase);
    const places = inStartOrder(visits, workOrderId).map((visit) => matrix.placeOf(visit.location));
    matrix.addBetween(there, home);
    matrix.addBetween(home, there);
    for (const place of places) {
      matrix.addBetween(there, place);
      matrix.addBetween(place, there);
    }
    // The drive a new visit saves or adds is measured against the one between its neighbours:
    // consecutive visits, or the home base before the first and after the last of a day.
    let previous = unknownPlace;
    for (const place of places) {
      matrix.addBetween(place, home);
      matrix.addBetween(home, place);
      matrix.addBetween(previous, place);
      previous = place;
    }
  }
  await matrix.resolve(travel);
  return matrix;
}

/** A technician's visits as their day is searched: by start (as read), without the work order being rebooked. */
function inStartOrder(visits: Visit[], workOrderId: string | undefined): Visit[] {
  const kept =
    workOrderId === undefined ? visits : visits.filter((visit) => visit.workOrderId !== workOrderId);
  const ordered = kept.every(
    (visit, index) => index === 0 || (kept[index - 1] as Visit).start <= visit.start,
  );
  return ordered ? kept : [...kept].sort((a, b) => a.start - b.start);
}

/** The slots as the API shows them: instants in ISO 8601, the technician named. */
export interface SlotView {
  technicianId: string;
  technicianName: string;
  date: string;
  start: string;
  end: string;
  arrivalWindow: { start: string; end: string };
  score: number;
  reasons: Slot['reasons'];
}

export const toSlotView = (slot: Slot): SlotView => ({
  technicianId: slot.technicianId,
  technicianName: slot.technicianName,
  date: slot.date,
  start: new Date(slot.start).toISOString(),
  end: new Date(slot.end).toISOString(),
  arrivalWindow: {
    start: new Date(slot.arrival.start).toISOString(),
    end: new Date(slot.arrival.end).toISOString(),
  },
  score: slot.score,
  reasons: slot.reasons,
});

/** Statuses a work order can be (re)booked from, or looked at for another time. */
const bookable: WorkOrderStatus[] = ['new', 'scheduled', 'dispatched', 'on_hold'];

export interface VisitContext {
  workOrder: WorkOrder;
  tenant: Tenant;
  settings: SchedulingSettings;
  calendar: LocalCalendar;
  durationMinutes: number;
  requiredSkills: string[];
  location?: Coordinates;
  preferences?: SlotSearch['preferences'];
}

/**
 * What a search for a work order's visit needs to know: how long, which skills, where, and the
 * customer's preferred times. 404 for a work order the actor cannot see; 409 when it is past
 * booking; 422 (like the schedule gate) without a service location or service type.
 */
export async function visitContext(
  dependencies: Pick<SlotDependencies, 'workOrders' | 'directory'>,
  actor: Actor,
  workOrderId: string,
): Promise<VisitContext> {
  const workOrder = await dependencies.workOrders.get(actor.tenantId, workOrderId);
  if (!workOrder) throw new NotFoundError('Work order', workOrderId);
  if (!bookable.includes(workOrder.status)) {
    throw new ConflictError(`A work order that is ${workOrder.status} has no visit to book`, {
      currentStatus: workOrder.status,
    });
  }
  const [tenant, serviceType, customer, location] = await Promise.all([
    dependencies.directory.getTenant(actor.tenantId),
    workOrder.serviceTypeId
      ? dependencies.directory.getServiceType(actor.tenantId, workOrder.serviceTypeId)
      : undefined,
    dependencies.directory.getCustomer(actor.tenantId, workOrder.customerId),
    workOrder.locationId
      ? dependencies.directory.getLocation(actor.tenantId, workOrder.locationId)
      : undefined,
  ]);
  const missing = [...(location ? [] : ['serviceLocation']), ...(serviceType ? [] : ['serviceType'])];
  if (!tenant || !serviceType || missing.length > 0) {
    throw new UnprocessableError(`Cannot look for slots yet: ${missing.join(', ')} missing`, { missing });
  }
  const settings = schedulingSettingsOf(tenant);
  const coordinates = coordinatesOf(location);
  const preferences = customer?.contactPreferences;
  return {
    workOrder,
    tenant,
    settings,
    calendar: new LocalCalendar(tenant.timeZone),
    durationMinutes: workOrder.estimatedMinutes ?? serviceType.estimatedMinutes,
    requiredSkills: workOrder.requiredSkills ?? serviceType.requiredSkills,
    ...(coordinates ? { location: coordinates } : {}),
    ...(preferences?.preferredDays || preferences?.timeWindows
      ? {
          preferences: {
            ...(preferences.preferredDays ? { preferredDays: preferences.preferredDays } : {}),
            ...(preferences.timeWindows ? { timeWindows: preferences.timeWindows } : {}),
          },
        }
      : {}),
  };
}

export interface RankedSlots {
  workOrderId: string;
  durationMinutes: number;
  requiredSkills: string[];
  from: string;
  to: string;
  /** How many open slots there were before the limit. */
  total: number;
  slots: SlotView[];
}

/**
 * Open slots for a work order's visit across every qualified technician, best first, each
 * with the reasons for its score (`findSlots`). Reads: the work order and what it refers to,
 * the tenant's technicians (one Query), each qualified technician's visits (one Query each)
 * and their locations (BatchGet). `preferences` given (a maintenance plan's preferred time) take
 * the place of the customer's, part by part.
 */
export async function rankedSlots(
  dependencies: SlotDependencies,
  actor: Actor,
  workOrderId: string,
  query: SlotQuery,
  preferences?: TimePreferences,
): Promise<RankedSlots> {
  const found = await visitContext(dependencies, actor, workOrderId);
  const context = preferences ? { ...found, preferences: { ...found.preferences, ...preferences } } : found;
  const now = dependencies.clock.now().getTime();
  const range = searchRange(query, context.calendar, now);
  const technicians = await qualifiedTechnicians(
    dependencies.technicians,
    actor.tenantId,
    context.requiredSkills,
  );
  const bookings = await bookingsOf(dependencies, actor.tenantId, technicians, range);
  const travel = await travelFor(
    bookings,
    context.location,
    dependencies.travelTimes(context.settings),
    workOrderId,
  );
  const slots = findSlots(
    {
      calendar: context.calendar,
      ...range,
      now,
      durationMinutes: context.durationMinutes,
      requiredSkills: context.requiredSkills,
      ...(context.location ? { location: context.location } : {}),
      arrivalWindows: context.settings.arrivalWindows,
      stepMinutes: context.settings.slotStepMinutes,
      ...(context.preferences ? { preferences: context.preferences } : {}),
      workOrderId,
    },
    bookings,
    travel.lookup,
  );
  return {
    workOrderId,
    durationMinutes: context.durationMinutes,
    requiredSkills: context.requiredSkills,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    total: slots.length,
    slots: slots.slice(0, query.limit ?? 20).map(toSlotView),
  };
}
