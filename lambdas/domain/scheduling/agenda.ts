import type { Coordinates } from '../../ports/travel-times.ts';
import { type LocalCalendar, weekdayOf } from './local-time.ts';
import type { Technician, TimeOff } from './technicians.ts';
import { ceilToSlice, floorToSlice } from './time-slices.ts';

/** A booked visit of a technician, as instants (epoch milliseconds). */
export interface Visit {
  workOrderId: string;
  start: number;
  end: number;
  location?: Coordinates;
  /** The technician is there now (arrived or working): the visit lasts at least until now. */
  underway?: boolean;
}

/** Minutes of driving between two points; asked only for legs the search announced beforehand. */
export type TravelLookup = (from: Coordinates, to: Coordinates) => number;

export interface Interval {
  start: number;
  end: number;
}

/** Why a visit cannot be put at a time. */
export type Misfit =
  | { kind: 'outsideWorkingHours' }
  | { kind: 'timeOff'; timeOff: TimeOff }
  | { kind: 'overlap'; visit: Visit }
  | { kind: 'noTravelTimeBefore'; visit: Visit; travelMinutes: number }
  | { kind: 'noTravelTimeAfter'; visit: Visit; travelMinutes: number }
  | { kind: 'inThePast' };

export interface Placement {
  /** The technician's visit before (ending at or before the start) and after, if any. */
  previous?: Visit;
  next?: Visit;
}

/**
 * One technician's time over a search: working intervals of each local day as instants, time
 * off, and booked visits in time order. Answers whether a visit fits at a time, the question
 * behind both the slots offered and the bookings accepted.
 *
 * A visit holds whole quarter hours (the booking grain): two visits clash when their quarter
 * hours do. Between consecutive visits the technician needs the travel time from one place to
 * the next, counted from the real end of the earlier visit.
 */
export class Agenda {
  readonly visits: Visit[];
  private readonly timeOff: { start: number; end: number; entry: TimeOff }[];
  private readonly days = new Map<string, Interval[]>();

  constructor(
    readonly technician: Pick<Technician, 'technicianId' | 'workingHours' | 'timeOff'>,
    visits: Visit[],
    private readonly calendar: LocalCalendar,
    private readonly now: number,
  ) {
    this.visits = visits
      .map((visit) => (visit.underway && visit.end < now ? { ...visit, end: ceilToSlice(now) } : visit))
      .sort((a, b) => a.start - b.start);
    this.timeOff = technician.timeOff
      .map((entry) => ({ start: Date.parse(entry.start), end: Date.parse(entry.end), entry }))
      .sort((a, b) => a.start - b.start);
  }

  /** The working intervals of a local day as instants, in time order. */
  workingIntervals(day: string): Interval[] {
    let intervals = this.days.get(day);
    if (!intervals) {
      intervals = (this.technician.workingHours[weekdayOf(day)] ?? []).map(({ start, end }) => ({
        start: this.calendar.instantOf(day, start),
        end: this.calendar.instantOf(day, end),
      }));
      this.days.set(day, intervals);
    }
    return intervals;
  }

  /** Minutes worked on a local day. */
  workingMinutes(day: string): number {
    return this.workingIntervals(day).reduce((sum, { start, end }) => sum + (end - start) / 60_000, 0);
  }

  /**
   * Minutes of a local day still open: working time after `now`, less time off and the
   * quarter hours held by visits (travel between them is not taken off).
   */
  freeMinutes(day: string): number {
    let free = 0;
    for (const interval of this.workingIntervals(day)) {
      const start = Math.max(interval.start, ceilToSlice(this.now));
      if (start >= interval.end) continue;
      const taken = [
        ...this.visits.map((visit) => ({ start: floorToSlice(visit.start), end: ceilToSlice(visit.end) })),
        ...this.timeOff,
      ]
        .map((busy) => ({ start: Math.max(busy.start, start), end: Math.min(busy.end, interval.end) }))
        .filter((busy) => busy.end > busy.start)
        .sort((a, b) => a.start - b.start);
      let cursor = start;
      for (const busy of taken) {
        if (busy.start > cursor) free += busy.start - cursor;
        cursor = Math.max(cursor, busy.end);
      }
      if (interval.end > cursor) free += interval.end - cursor;
    }
    return free / 60_000;
  }

  /** Minutes of visits booked within the bounds (a local day). */
  bookedMinutes(bounds: Interval): number {
    let minutes = 0;
    for (const visit of this.visits) {
      if (visit.start >= bounds.end) break;
      const overlap = Math.min(visit.end, bounds.end) - Math.max(visit.start, bounds.start);
      if (overlap > 0) minutes += overlap / 60_000;
    }
    return minutes;
  }

  /** The index of the first visit whose held quarter hours end after `at`. */
  private firstEndingAfter(at: number): number {
    let low = 0;
    let high = this.visits.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const visit = this.visits[middle];
      if (visit && ceilToSlice(visit.end) <= at) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The visits just before and just after a stretch of time, and one it clashes with. */
  neighbours(start: number, end: number): Placement & { clash?: Visit } {
    const heldStart = floorToSlice(start);
    const heldEnd = ceilToSlice(end);
    const index = this.firstEndingAfter(heldStart);
    const candidate = this.visits[index];
    const previous = index > 0 ? this.visits[index - 1] : undefined;
    if (candidate && floorToSlice(candidate.start) < heldEnd) {
      return { ...(previous ? { previous } : {}), clash: candidate };
    }
    return { ...(previous ? { previous } : {}), ...(candidate ? { next: candidate } : {}) };
  }

  /** The working interval of the day that holds the whole stretch, if one does. */
  intervalHolding(day: string, start: number, end: number): Interval | undefined {
    return this.workingIntervals(day).find((interval) => interval.start <= start && end <= interval.end);
  }

  /**
   * Whether a visit at `location` from `start` to `end` (on local day `day`) fits: inside one
   * working interval, clear of time off and of other visits' quarter hours, with the travel
   * time from the visit before and to the visit after. The first reason it does not, if any.
   */
  misfit(
    day: string,
    start: number,
    end: number,
    location: Coordinates | undefined,
    travel: TravelLookup,
  ): (Misfit & Placement) | Placement {
    if (start < this.now) return { kind: 'inThePast' };
    if (!this.intervalHolding(day, start, end)) return { kind: 'outsideWorkingHours' };
    for (const off of this.timeOff) {
      if (off.start >= end) break;
      if (off.end > start) return { kind: 'timeOff', timeOff: off.entry };
    }
    const { previous, next, clash } = this.neighbours(start, end);
    if (clash) return { kind: 'overlap', visit: clash };
    if (previous && location && previous.location) {
      const travelMinutes = travel(previous.location, location);
      if (previous.end + travelMinutes * 60_000 > start) {
        return { kind: 'noTravelTimeBefore', visit: previous, travelMinutes, previous };
      }
    }
    if (next && location && next.location) {
      const travelMinutes = travel(location, next.location);
      if (end + travelMinutes * 60_000 > next.start) {
        return { kind: 'noTravelTimeAfter', visit: next, travelMinutes, next };
      }
    }
    return { ...(previous ? { previous } : {}), ...(next ? { next } : {}) };
  }
}

export const isMisfit = (result: (Misfit & Placement) | Placement): result is Misfit & Placement =>
  'kind' in result;

/** A sentence for the office: why the technician cannot take the visit then. */
export function describeMisfit(misfit: Misfit, calendar: LocalCalendar): string {
  switch (misfit.kind) {
    case 'inThePast':
      return 'the time is in the past';
    case 'outsideWorkingHours':
      return "the visit is outside the technician's working hours";
    case 'timeOff':
      return `the technician is off from ${misfit.timeOff.start} to ${misfit.timeOff.end}`;
    case 'overlap':
      return `the technician already has ${misfit.visit.workOrderId} at ${calendar.timeOf(misfit.visit.start)}`;
    case 'noTravelTimeBefore':
      return `the technician needs ${misfit.travelMinutes} min to get there from ${misfit.visit.workOrderId}, which ends at ${calendar.timeOf(misfit.visit.end)}`;
    case 'noTravelTimeAfter':
      return `the technician needs ${misfit.travelMinutes} min to get from there to ${misfit.visit.workOrderId} at ${calendar.timeOf(misfit.visit.start)}`;
  }
}
