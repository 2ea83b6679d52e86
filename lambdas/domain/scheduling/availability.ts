import { NotFoundError } from '../../shared/errors.ts';
import { durationEstimateFor } from '../catalog/duration-estimate.ts';
import type { Actor } from '../shared/actor.ts';
import { Agenda } from './agenda.ts';
import { LocalCalendar } from './local-time.ts';
import { schedulingSettingsOf } from './scheduling-settings.ts';
import { findSlots, searchDays } from './slot-finder.ts';
import {
  bookingsOf,
  qualifiedTechnicians,
  type SlotDependencies,
  type SlotQuery,
  searchRange,
  travelFor,
} from './slots.ts';

export interface WindowCapacity {
  start: string;
  end: string;
  /** Technicians who could arrive in the window. */
  technicians: number;
}

export interface DayCapacity {
  date: string;
  /** Qualified technicians with at least one open slot that day. */
  technicians: number;
  /** Open slots that day across technicians (one per technician and window, or per start time). */
  slots: number;
  /** The qualified technicians' open working minutes (after now, less visits and time off). */
  openMinutes: number;
  earliestStart?: string;
  /** With arrival windows: how many technicians each window has. */
  windows?: WindowCapacity[];
}

export interface Availability {
  serviceTypeId: string;
  durationMinutes: number;
  requiredSkills: string[];
  from: string;
  to: string;
  qualifiedTechnicians: number;
  days: DayCapacity[];
}

/**
 * Open capacity for a service type per local day, for a calendar: how many qualified
 * technicians have a slot for a visit of the type's length, how many slots, and the open
 * working minutes. No address is known yet, so travel to the visit is not counted; travel
 * between the visits already booked is.
 */
export async function availability(
  dependencies: SlotDependencies,
  actor: Actor,
  serviceTypeId: string,
  query: SlotQuery,
): Promise<Availability> {
  const [tenant, serviceType] = await Promise.all([
    dependencies.directory.getTenant(actor.tenantId),
    dependencies.directory.getServiceType(actor.tenantId, serviceTypeId),
  ]);
  if (!tenant || !serviceType) throw new NotFoundError('Service type', serviceTypeId);
  const settings = schedulingSettingsOf(tenant);
  const calendar = new LocalCalendar(tenant.timeZone);
  const now = dependencies.clock.now().getTime();
  const range = searchRange(query, calendar, now);
  const { requiredSkills } = serviceType;
  const { minutes: durationMinutes } = await durationEstimateFor(
    dependencies.durations,
    actor.tenantId,
    serviceTypeId,
    serviceType.estimatedMinutes,
  );
  const technicians = await qualifiedTechnicians(dependencies.technicians, actor.tenantId, requiredSkills);
  const bookings = await bookingsOf(dependencies, actor.tenantId, technicians, range);
  const travel = await travelFor(bookings, undefined, dependencies.travelTimes(settings));
  const search = {
    calendar,
    ...range,
    now,
    durationMinutes,
    requiredSkills,
    arrivalWindows: settings.arrivalWindows,
    stepMinutes: settings.slotStepMinutes,
  };
  const slots = findSlots(search, bookings, travel.lookup);
  const agendas = bookings.map(({ technician, visits }) => new Agenda(technician, visits, calendar, now));
  const days = searchDays(search).map((date): DayCapacity => {
    const ofDay = slots.filter((slot) => slot.date === date);
    const earliest = ofDay.reduce<number | undefined>(
      (first, slot) => (first === undefined || slot.start < first ? slot.start : first),
      undefined,
    );
    return {
      date,
      technicians: new Set(ofDay.map((slot) => slot.technicianId)).size,
      slots: ofDay.length,
      openMinutes: Math.round(agendas.reduce((sum, agenda) => sum + agenda.freeMinutes(date), 0)),
      ...(earliest !== undefined ? { earliestStart: new Date(earliest).toISOString() } : {}),
      ...(settings.arrivalWindows.length > 0
        ? {
            windows: settings.arrivalWindows.map((window) => {
              const start = calendar.instantOf(date, window.start);
              return {
                start: new Date(start).toISOString(),
                end: new Date(calendar.instantOf(date, window.end)).toISOString(),
                technicians: new Set(
                  ofDay.filter((slot) => slot.arrival.start === start).map((slot) => slot.technicianId),
                ).size,
              };
            }),
          }
        : {}),
    };
  });
  return {
    serviceTypeId,
    durationMinutes,
    requiredSkills,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    qualifiedTechnicians: technicians.length,
    days,
  };
}
