import type { Coordinates } from '../../ports/travel-times.ts';
import type { TimeRange, Weekday } from '../customers/customer.ts';
import { Agenda, type TravelLookup, type Visit } from './agenda.ts';
import { daysBetween, type LocalCalendar, minutesOf, weekdayOf } from './local-time.ts';
import type { Technician } from './technicians.ts';
import { sliceMinutes } from './time-slices.ts';

const minuteMs = 60_000;

/** The customer's wishes the ranking favours. */
export interface TimePreferences {
  preferredDays?: Weekday[];
  /** Local times the customer would like the technician to arrive within. */
  timeWindows?: TimeRange[];
}

export interface SlotSearch {
  calendar: LocalCalendar;
  /** Slots start within [from, to): instants, epoch milliseconds. */
  from: number;
  to: number;
  now: number;
  durationMinutes: number;
  requiredSkills: string[];
  location?: Coordinates;
  /** The tenant's arrival windows; none: exact start times every `stepMinutes`. */
  arrivalWindows: TimeRange[];
  stepMinutes: number;
  preferences?: TimePreferences;
  /** The work order the search is for: its own current booking does not stand in its way. */
  workOrderId?: string;
}

export interface TechnicianBookings {
  technician: Technician;
  visits: Visit[];
}

/** One part of a slot's score, with what it was given for. */
export interface SlotReason {
  factor: 'skills' | 'travel' | 'preference' | 'workload' | 'soonness';
  points: number;
  maxPoints: number;
  detail: string;
}

export interface Slot {
  technicianId: string;
  technicianName: string;
  /** The local day of the visit. */
  date: string;
  /** The visit the technician's time is booked for. */
  start: number;
  end: number;
  /** What the customer is promised: the arrival window, or the exact start. */
  arrival: { start: number; end: number };
  /** 0–100: the sum of the reasons' points. */
  score: number;
  reasons: SlotReason[];
}

/**
 * The weights of the ranking, out of 100 (documented in the README):
 * - travel 40: full when the visit adds no driving to the technician's day, nothing when it adds
 *   an hour or more; the detour is measured from the visit before (or the home base) to the visit
 *   after (or the home base);
 * - preference 25: the customer's preferred days and arrival times;
 * - workload 20: in proportion to the share of the technician's day still free;
 * - soonness 15: sooner slots first, falling to nothing at the end of the search.
 * Required skills are not weighed: a technician without them is never offered.
 */
export const weights = { travel: 40, preference: 25, workload: 20, soonness: 15 } as const;
const detourForNoPoints = 60;

const round1 = (value: number) => Math.round(value * 10) / 10;

/** A technician qualifies when active and holding every required skill. */
export const qualifies = (technician: Technician, requiredSkills: string[]): boolean =>
  technician.active && requiredSkills.every((skill) => technician.skills.includes(skill));

/** The local days a search covers, from the day of `from` to the day of its last instant. */
export const searchDays = (search: Pick<SlotSearch, 'calendar' | 'from' | 'to'>): string[] =>
  daysBetween(search.calendar.dayOf(search.from), search.calendar.dayOf(search.to - 1));

interface Candidate {
  start: number;
  arrival: { start: number; end: number };
}

/** What a search needs of one local day, the same for every technician. */
interface SearchDay {
  date: string;
  bounds: { start: number; end: number };
  /** With arrival windows: each window's instants, and the quarter hours at which a technician may arrive. */
  windows: { start: number; end: number; tries: number[] }[];
}

/** The days of a search, with the quarter hours tried in each arrival window. */
function searchDaysOf(search: SlotSearch): SearchDay[] {
  const earliest = Math.max(search.from, search.now);
  return searchDays(search).map((date) => ({
    date,
    bounds: search.calendar.dayBounds(date),
    windows: search.arrivalWindows.map((window) => {
      const start = search.calendar.instantOf(date, window.start);
      const end = search.calendar.instantOf(date, window.end);
      const tries: number[] = [];
      for (let at = start; at < end; at += sliceMinutes * minuteMs) {
        if (at >= earliest && at < search.to) tries.push(at);
      }
      return { start, end, tries };
    }),
  }));
}

function preferencePoints(
  search: SlotSearch,
  day: string,
  arrival: { start: number; end: number },
): { points: number; detail: string } {
  const { preferredDays, timeWindows } = search.preferences ?? {};
  const hasDays = (preferredDays?.length ?? 0) > 0;
  const hasTimes = (timeWindows?.length ?? 0) > 0;
  if (!hasDays && !hasTimes) return { points: weights.preference, detail: 'no preferred times on record' };
  const weekday = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[Number(weekdayOf(day))];
  const dayMatches = !hasDays || (weekday !== undefined && preferredDays?.includes(weekday) === true);
  const arrivalFrom = minutesOf(search.calendar.timeOf(arrival.start));
  const arrivalTo =
    arrival.end > arrival.start ? minutesOf(search.calendar.timeOf(arrival.end)) : arrivalFrom + 1;
  const timeMatches =
    !hasTimes ||
    (timeWindows ?? []).some(
      (window) =>
        arrivalFrom >= minutesOf(window.start) &&
        arrivalTo <= Math.max(minutesOf(window.end), arrivalFrom + 1),
    );
  const dayShare = hasDays && hasTimes ? 0.4 : hasDays ? 1 : 0;
  const points = weights.preference * ((dayMatches ? dayShare : 0) + (timeMatches ? 1 - dayShare : 0));
  const parts = [
    ...(hasDays ? [dayMatches ? `${weekday} is a preferred day` : `${weekday} is not a preferred day`] : []),
    ...(hasTimes ? [timeMatches ? 'arrival within preferred times' : 'arrival outside preferred times'] : []),
  ];
  return { points, detail: parts.join('; ') };
}

/**
 * Open slots for one visit across every qualified technician, ranked best first (see
 * `weights`). A slot never clashes with another visit of its technician, lies inside one of
 * their working intervals, clear of time off, and leaves the travel time to and from the
 * neighbouring visits. With arrival windows, each technician offers the earliest start that
 * fits in each window; without, every start on the tenant's step that fits.
 */
export function findSlots(search: SlotSearch, bookings: TechnicianBookings[], travel: TravelLookup): Slot[] {
  const slots: Slot[] = [];
  const days = searchDaysOf(search);
  const earliest = Math.max(search.from, search.now);
  const horizon = Math.max(search.to - earliest, minuteMs);
  const durationMs = search.durationMinutes * minuteMs;
  const stepMs = search.stepMinutes * minuteMs;
  const byWindows = search.arrivalWindows.length > 0;
  const { location, workOrderId } = search;
  for (const { technician, visits } of bookings) {
    if (!qualifies(technician, search.requiredSkills)) continue;
    const agenda = new Agenda(
      technician,
      workOrderId === undefined ? visits : visits.filter((visit) => visit.workOrderId !== workOrderId),
      search.calendar,
      search.now,
    );
    const offer = (day: SearchDay, start: number, arrival: { start: number; end: number }, free: number) => {
      const candidate = { start, arrival };
      const reasons = rankReasons(
        search,
        technician,
        day.date,
        candidate,
        agenda.placement(),
        day.bounds,
        free,
        horizon,
        travel,
      );
      slots.push({
        technicianId: technician.technicianId,
        technicianName: technician.name,
        date: day.date,
        start,
        end: start + durationMs,
        arrival,
        score: round1(reasons.reduce((sum, reason) => sum + reason.points, 0)),
        reasons,
      });
    };
    for (const day of days) {
      const intervals = agenda.workingIntervals(day.date);
      if (intervals.length === 0) continue;
      const free =
        1 - Math.min(1, agenda.bookedMinutes(day.bounds) / Math.max(agenda.workingMinutes(day.date), 1));
      if (byWindows) {
        // Per window, the quarter hours at which the technician could arrive; the first that fits is the slot.
        for (const { start, end, tries } of day.windows) {
          for (let index = 0; index < tries.length; index++) {
            const at = tries[index] as number;
            const found = agenda.check(intervals, at, at + durationMs, location, travel);
            if (found === 'fits') {
              offer(day, at, { start, end }, free);
              break;
            }
            if (found === 'overlap') {
              const clear = agenda.clashesUntil();
              while (index + 1 < tries.length && (tries[index + 1] as number) < clear) index++;
            }
          }
        }
        continue;
      }
      // Every start on the step grid of each working interval.
      for (const interval of intervals) {
        for (let at = interval.start; at + durationMs <= interval.end; at += stepMs) {
          if (at < earliest || at >= search.to) continue;
          const found = agenda.check(intervals, at, at + durationMs, location, travel);
          if (found === 'fits') offer(day, at, { start: at, end: at }, free);
          else if (found === 'overlap') {
            const clear = agenda.clashesUntil();
            while (at + stepMs < clear) at += stepMs;
          }
        }
      }
    }
  }
  return slots.sort(
    (a, b) => b.score - a.score || a.start - b.start || a.technicianId.localeCompare(b.technicianId),
  );
}

function rankReasons(
  search: SlotSearch,
  technician: Technician,
  day: string,
  candidate: Candidate,
  placement: { previous?: Visit; next?: Visit },
  bounds: { start: number; end: number },
  free: number,
  horizon: number,
  travel: TravelLookup,
): SlotReason[] {
  const skills =
    search.requiredSkills.length > 0 ? `has ${search.requiredSkills.join(', ')}` : 'no skills required';
  const reasons: SlotReason[] = [{ factor: 'skills', points: 0, maxPoints: 0, detail: skills }];

  const sameDay = (visit: Visit | undefined) =>
    visit && visit.end > bounds.start && visit.start < bounds.end ? visit : undefined;
  const previous = sameDay(placement.previous);
  const next = sameDay(placement.next);
  const from = previous?.location ?? (previous ? undefined : technician.homeBase);
  const to = next?.location ?? (next ? undefined : technician.homeBase);
  const fromName = previous ? previous.workOrderId : 'the home base';
  const toName = next ? next.workOrderId : 'the home base';
  if (!search.location) {
    reasons.push({
      factor: 'travel',
      points: weights.travel / 2,
      maxPoints: weights.travel,
      detail: 'the service location has no coordinates: travel not counted',
    });
  } else if (!from && !to) {
    reasons.push({
      factor: 'travel',
      points: weights.travel / 2,
      maxPoints: weights.travel,
      detail: 'no known position of the technician before or after',
    });
  } else {
    const there = from ? travel(from, search.location) : 0;
    const back = to ? travel(search.location, to) : 0;
    const direct = from && to ? travel(from, to) : 0;
    const detour = Math.max(0, there + back - direct);
    reasons.push({
      factor: 'travel',
      points: round1(weights.travel * Math.max(0, 1 - detour / detourForNoPoints)),
      maxPoints: weights.travel,
      detail: `${there} min from ${fromName}${to ? `, ${back} min on to ${toName}` : ''}: ${detour} min added`,
    });
  }

  const preference = preferencePoints(search, day, candidate.arrival);
  reasons.push({
    factor: 'preference',
    points: round1(preference.points),
    maxPoints: weights.preference,
    detail: preference.detail,
  });
  reasons.push({
    factor: 'workload',
    points: round1(weights.workload * free),
    maxPoints: weights.workload,
    detail: `${Math.round(free * 100)}% of the day still free`,
  });
  const wait = candidate.start - Math.max(search.from, search.now);
  reasons.push({
    factor: 'soonness',
    points: round1(weights.soonness * Math.max(0, 1 - wait / horizon)),
    maxPoints: weights.soonness,
    detail: `starts ${Math.round(wait / 3_600_000)} h into the search`,
  });
  return reasons;
}
