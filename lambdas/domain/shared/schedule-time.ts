import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

const aMinute = 60_000;

/** The wall-clock time of an instant in a time zone, as one-time schedules take it (`YYYY-MM-DDThh:mm:ss`). */
export const wallClockOf = (instant: Date, timeZone: string): string =>
  format(new TZDate(instant.getTime(), timeZone), "yyyy-MM-dd'T'HH:mm:ss");

/**
 * The instant a wall-clock time (`YYYY-MM-DDThh:mm[:ss]`) names in a time zone. A time that does
 * not exist on the day the clocks go forward is read as the same time after the change.
 */
export function instantOfWallClock(wallClock: string, timeZone: string): Date {
  const [day = '', time = '00:00:00'] = wallClock.split('T');
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const [hours = 0, minutes = 0, seconds = 0] = time.split(':').map(Number);
  return new Date(new TZDate(year, month - 1, date, hours, minutes, seconds, timeZone).getTime());
}

/**
 * When a one-time schedule for a local day and time fires: that wall-clock time in the tenant's
 * zone, or a minute from now if it has already passed, so that what is late still happens (a
 * schedule set in the past would never fire).
 */
export function scheduleTimeFor(day: string, time: string, timeZone: string, now: Date): string {
  const wanted = `${day}T${time.length === 5 ? `${time}:00` : time}`;
  return instantOfWallClock(wanted, timeZone).getTime() > now.getTime()
    ? wanted
    : wallClockOf(new Date(now.getTime() + aMinute), timeZone);
}
