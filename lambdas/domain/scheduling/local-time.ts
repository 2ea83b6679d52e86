import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { WeekdayNumber } from './technicians.ts';

const localDayPattern = /^\d{4}-\d{2}-\d{2}$/;
const localTimePattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const dayMs = 86_400_000;
/** How many conversions of each kind a calendar remembers. */
const maxRemembered = 10_000;

/** A calendar day `YYYY-MM-DD` that exists (no 2027-02-30). */
export function isLocalDay(value: string): boolean {
  if (!localDayPattern.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
}

/** A local time `HH:mm` of a day, `00:00` to `23:59`. */
export const isLocalTime = (value: string): boolean => localTimePattern.test(value);

/** The calendar days from `from` to `to`, both included, by the calendar (no time zone involved). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += dayMs) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

/** The day after (or `count` days after) a calendar day. */
export const addLocalDays = (day: string, count: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + count * dayMs).toISOString().slice(0, 10);

const weekdays = new Map<string, WeekdayNumber>();

/** The weekday of a calendar day, `0` Sunday to `6` Saturday. */
export function weekdayOf(day: string): WeekdayNumber {
  // Remembered: a search asks for the same few days once per technician.
  let weekday = weekdays.get(day);
  if (weekday === undefined) {
    weekday = String(new Date(`${day}T00:00:00Z`).getUTCDay()) as WeekdayNumber;
    if (weekdays.size >= maxRemembered) weekdays.clear();
    weekdays.set(day, weekday);
  }
  return weekday;
}

/** Minutes since midnight of a local time `HH:mm`. */
export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * Local dates and times of one IANA time zone turned into instants and back. Conversions are
 * remembered: a search over hundreds of technicians asks for the same few local times again
 * and again, and each fresh conversion costs a time-zone lookup.
 */
export class LocalCalendar {
  /** Instants by local day, then local time: both texts are reused, and their hashes with them. */
  private readonly instants = new Map<string, Map<string, number>>();
  /** Local times of instants: the slots of a search fall on the same few quarter hours. */
  private readonly times = new Map<number, string>();

  constructor(readonly timeZone: string) {}

  /**
   * The instant (epoch milliseconds) of a local date and time. A time that does not exist on
   * the day the clocks go forward (02:30) is read as the same time after the change (03:30).
   */
  instantOf(day: string, time: string): number {
    let ofDay = this.instants.get(day);
    if (!ofDay) {
      if (this.instants.size >= maxRemembered) this.instants.clear();
      ofDay = new Map();
      this.instants.set(day, ofDay);
    }
    let instant = ofDay.get(time);
    if (instant === undefined) {
      const [year, month, date] = day.split('-').map(Number) as [number, number, number];
      const minutes = minutesOf(time);
      instant = new TZDate(
        year,
        month - 1,
        date,
        Math.floor(minutes / 60),
        minutes % 60,
        this.timeZone,
      ).getTime();
      ofDay.set(time, instant);
    }
    return instant;
  }

  /** The first and the first-after-last instant of a local day: 23 or 25 hours apart on DST days. */
  dayBounds(day: string): { start: number; end: number } {
    return { start: this.instantOf(day, '00:00'), end: this.instantOf(addLocalDays(day, 1), '00:00') };
  }

  /** The local day `YYYY-MM-DD` an instant falls on. */
  dayOf(instant: number | string | Date): string {
    return format(new TZDate(new Date(instant).getTime(), this.timeZone), 'yyyy-MM-dd');
  }

  /** The local time `HH:mm` of an instant. */
  timeOf(instant: number | string | Date): string {
    const at = new Date(instant).getTime();
    let time = this.times.get(at);
    if (time === undefined) {
      time = format(new TZDate(at, this.timeZone), 'HH:mm');
      // A calendar kept for long forgets rather than grows without end.
      if (this.times.size >= maxRemembered) this.times.clear();
      this.times.set(at, time);
    }
    return time;
  }
}
