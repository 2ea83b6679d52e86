import type { Coordinates } from '../../ports/travel-times.ts';
import { Agenda, type TravelLookup, type Visit } from './agenda.ts';
import { daysBetween, type LocalCalendar } from './local-time.ts';
import { qualifies, type TechnicianBookings } from './slot-finder.ts';
import { ceilToSlice, sliceMinutes } from './time-slices.ts';

const minuteMs = 60_000;

export interface AsapSearch {
  calendar: LocalCalendar;
  now: number;
  /** How far ahead to look for a free technician. */
  until: number;
  durationMinutes: number;
  requiredSkills: string[];
  location?: Coordinates;
  workOrderId?: string;
}

/** A technician who can get there, and when. */
export interface Arrival {
  technicianId: string;
  technicianName: string;
  /** The quarter hour the technician can be there by: the visit's start. */
  start: number;
  end: number;
  /** Where the technician comes from: the visit they finish first, or their home base. */
  comingFrom: { workOrderId: string; freeAt: number } | 'home base' | 'unknown';
  travelMinutes?: number;
}

/**
 * For an emergency, each qualified technician's earliest arrival, soonest first. A technician
 * busy now is free at the end of their current visit (or now, if it is running over) and then
 * drives from there; one with nothing earlier that day leaves from their home base at the
 * later of now and the start of their working day. The visit must fit their day like any
 * booking: working hours, time off, the visits after it and the travel to them. Ties go to the
 * shorter drive.
 */
export function earliestArrivals(
  search: AsapSearch,
  bookings: TechnicianBookings[],
  travel: TravelLookup,
): Arrival[] {
  const arrivals: Arrival[] = [];
  const durationMs = search.durationMinutes * minuteMs;
  const days = daysBetween(search.calendar.dayOf(search.now), search.calendar.dayOf(search.until)).map(
    (date) => ({ date, bounds: search.calendar.dayBounds(date) }),
  );
  const { workOrderId } = search;
  for (const { technician, visits } of bookings) {
    if (!qualifies(technician, search.requiredSkills)) continue;
    const agenda = new Agenda(
      technician,
      workOrderId === undefined ? visits : visits.filter((visit: Visit) => visit.workOrderId !== workOrderId),
      search.calendar,
      search.now,
    );
    const arrival = firstArrival(search, agenda, days, durationMs, travel, technician.homeBase);
    if (arrival)
      arrivals.push({ technicianId: technician.technicianId, technicianName: technician.name, ...arrival });
  }
  return arrivals.sort(
    (a, b) =>
      a.start - b.start ||
      (a.travelMinutes ?? Number.MAX_SAFE_INTEGER) - (b.travelMinutes ?? Number.MAX_SAFE_INTEGER) ||
      a.technicianId.localeCompare(b.technicianId),
  );
}

function firstArrival(
  search: AsapSearch,
  agenda: Agenda,
  days: { date: string; bounds: { start: number; end: number } }[],
  durationMs: number,
  travel: TravelLookup,
  home: Coordinates | undefined,
): Omit<Arrival, 'technicianId' | 'technicianName'> | undefined {
  const soonest = ceilToSlice(search.now);
  for (const { date, bounds } of days) {
    const intervals = agenda.workingIntervals(date);
    const dayStart = intervals[0]?.start;
    if (dayStart === undefined) continue;
    for (const interval of intervals) {
      for (
        let start = Math.max(interval.start, soonest);
        start + durationMs <= interval.end && start < search.until;
        start += sliceMinutes * minuteMs
      ) {
        const found = agenda.check(intervals, start, start + durationMs, search.location, travel);
        if (found === 'overlap') {
          const clear = agenda.clashesUntil();
          while (start + sliceMinutes * minuteMs < clear) start += sliceMinutes * minuteMs;
        }
        if (found !== 'fits') continue;
        const placement = agenda.placement();
        const previous =
          placement.previous && placement.previous.end > bounds.start ? placement.previous : undefined;
        if (previous) {
          return {
            start,
            end: start + durationMs,
            comingFrom: { workOrderId: previous.workOrderId, freeAt: previous.end },
            ...(previous.location && search.location
              ? { travelMinutes: travel(previous.location, search.location) }
              : {}),
          };
        }
        if (!home || !search.location) return { start, end: start + durationMs, comingFrom: 'unknown' };
        const travelMinutes = travel(home, search.location);
        const leaves = Math.max(search.now, dayStart);
        if (leaves + travelMinutes * minuteMs <= start) {
          return { start, end: start + durationMs, comingFrom: 'home base', travelMinutes };
        }
      }
    }
  }
  return undefined;
}
