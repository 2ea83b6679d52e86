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
  /** The quarter hours each visit holds: from the start's and to the end's (by index in `visits`). */
  private readonly heldStarts: number[];
  private readonly heldEnds: number[];
  /** Whether the held quarter hours also end in order (no visit within another's time). */
  private readonly endsInOrder: boolean;
  /**
   * Minutes of driving from each visit to the place last checked and from there to each visit
   * (NaN: not asked yet): a search tries the same place against the same visits many times.
   */
  private drivesFor: { location: Coordinates; travel: TravelLookup } | undefined;
  private drivesThere: number[] = [];
  private drivesBack: number[] = [];
  private readonly timeOff: { start: number; end: number; entry: TimeOff }[];
  private readonly days = new Map<string, Interval[]>();
  /**
   * What the last `check` found: the index of the visit after the stretch (of the time off in
   * the way, for time off), and the minutes of a drive too long.
   */
  private foundAt = 0;
  private foundMinutes = 0;

  constructor(
    readonly technician: Pick<Technician, 'technicianId' | 'workingHours' | 'timeOff'>,
    visits: Visit[],
    private readonly calendar: LocalCalendar,
    private readonly now: number,
  ) {
    this.visits = visits
      .map((visit) => (visit.underway && visit.end < now ? { ...visit, end: ceilToSlice(now) } : visit))
      .sort((a, b) => a.start - b.start);
    this.heldStarts = this.visits.map((visit) => floorToSlice(visit.start));
    this.heldEnds = this.visits.map((visit) => ceilToSlice(visit.end));
    this.endsInOrder = this.heldEnds.every(
      (end, index) => index === 0 || (this.heldEnds[index - 1] as number) <= end,
    );
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
    const heldEnds = this.heldEnds;
    let low = 0;
    let high = heldEnds.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((heldEnds[middle] as number) <= at) low = middle + 1;
      else high = middle;
    }
    return low;
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
    const found = this.check(this.workingIntervals(day), start, end, location, travel);
    const previous = this.visits[this.foundAt - 1];
    const next = this.visits[this.foundAt];
    switch (found) {
      case 'inThePast':
      case 'outsideWorkingHours':
        return { kind: found };
      case 'timeOff':
        return { kind: found, timeOff: (this.timeOff[this.foundAt] as { entry: TimeOff }).entry };
      case 'overlap':
        return { kind: found, visit: next as Visit };
      case 'noTravelTimeBefore':
        return {
          kind: found,
          visit: previous as Visit,
          travelMinutes: this.foundMinutes,
          previous: previous as Visit,
        };
      case 'noTravelTimeAfter':
        return { kind: found, visit: next as Visit, travelMinutes: this.foundMinutes, next: next as Visit };
      default:
        return this.placement();
    }
  }

  /**
   * `misfit` for a search trying thousands of times: whether the visit fits or the first reason
   * it does not, without building an answer. `intervals` are the day's working intervals. After
   * a fit, `placement()` tells the visits around it.
   */
  check(
    intervals: Interval[],
    start: number,
    end: number,
    location: Coordinates | undefined,
    travel: TravelLookup,
  ): Fit {
    if (start < this.now) return 'inThePast';
    let held = false;
    for (const interval of intervals) {
      if (interval.start <= start && end <= interval.end) {
        held = true;
        break;
      }
    }
    if (!held) return 'outsideWorkingHours';
    for (let index = 0; index < this.timeOff.length; index++) {
      const off = this.timeOff[index] as { start: number; end: number };
      if (off.start >= end) break;
      if (off.end > start) {
        this.foundAt = index;
        return 'timeOff';
      }
    }
    const index = this.firstEndingAfter(floorToSlice(start));
    this.foundAt = index;
    const next = this.visits[index];
    if (next && (this.heldStarts[index] as number) < ceilToSlice(end)) return 'overlap';
    const previous = index > 0 ? this.visits[index - 1] : undefined;
    if (previous && location && previous.location) {
      const travelMinutes = this.driveThere(index - 1, previous.location, location, travel);
      if (previous.end + travelMinutes * 60_000 > start) {
        this.foundMinutes = travelMinutes;
        return 'noTravelTimeBefore';
      }
    }
    if (next && location && next.location) {
      const travelMinutes = this.driveBack(index, location, next.location, travel);
      if (end + travelMinutes * 60_000 > next.start) {
        this.foundMinutes = travelMinutes;
        return 'noTravelTimeAfter';
      }
    }
    return 'fits';
  }

  /** The drives remembered for `location` by `travel`, forgetting those for any other. */
  private drivesOf(location: Coordinates, travel: TravelLookup): void {
    if (this.drivesFor?.location === location && this.drivesFor.travel === travel) return;
    this.drivesFor = { location, travel };
    this.drivesThere = this.visits.map(() => Number.NaN);
    this.drivesBack = this.visits.map(() => Number.NaN);
  }

  /** Minutes from visit `index` (at `from`) to `location`. */
  private driveThere(index: number, from: Coordinates, location: Coordinates, travel: TravelLookup): number {
    this.drivesOf(location, travel);
    let minutes = this.drivesThere[index] as number;
    if (Number.isNaN(minutes)) {
      minutes = travel(from, location);
      this.drivesThere[index] = minutes;
    }
    return minutes;
  }

  /** Minutes from `location` to visit `index` (at `to`). */
  private driveBack(index: number, location: Coordinates, to: Coordinates, travel: TravelLookup): number {
    this.drivesOf(location, travel);
    let minutes = this.drivesBack[index] as number;
    if (Number.isNaN(minutes)) {
      minutes = travel(location, to);
      this.drivesBack[index] = minutes;
    }
    return minutes;
  }

  /**
   * After `check` found an overlap: every later start before this instant overlaps the same
   * visit (or is refused sooner), so a search trying starts in order may go on from here.
   * With visits held within another's time, nothing is skipped.
   */
  clashesUntil(): number {
    return this.endsInOrder ? (this.heldEnds[this.foundAt] as number) : Number.NEGATIVE_INFINITY;
  }

  /** The visits before and after the stretch the last `check` found fitting. */
  placement(): Placement {
    const previous = this.foundAt > 0 ? this.visits[this.foundAt - 1] : undefined;
    const next = this.visits[this.foundAt];
    return { ...(previous ? { previous } : {}), ...(next ? { next } : {}) };
  }
}

/** What `Agenda.check` found: a fit, or the first reason against. */
export type Fit = 'fits' | Misfit['kind'];

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
