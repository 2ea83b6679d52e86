import type { TimeRange } from '../customers/customer.ts';
import { addLocalDays, LocalCalendar, minutesOf } from '../scheduling/local-time.ts';

/**
 * When the quiet hours `now` falls in end, or undefined when `now` is outside them. The hours are
 * local times in `timeZone` and may wrap past midnight (`21:00`–`08:00`); a range that starts and
 * ends at the same time is no quiet hours at all. The end is the local time on the right day, so a
 * night across a change of the clocks ends at the local `08:00` all the same.
 */
export function quietHoursEnd(
  quietHours: TimeRange | undefined,
  now: Date,
  timeZone: string,
): Date | undefined {
  if (!quietHours || quietHours.start === quietHours.end) return undefined;
  const calendar = new LocalCalendar(timeZone);
  const today = calendar.dayOf(now);
  const time = minutesOf(calendar.timeOf(now));
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  let endDay: string | undefined;
  if (start < end) {
    if (time >= start && time < end) endDay = today;
  } else if (time >= start) {
    endDay = addLocalDays(today, 1);
  } else if (time < end) {
    endDay = today;
  }
  if (!endDay) return undefined;
  const ends = calendar.instantOf(endDay, quietHours.end);
  // A local end that the clocks skipped on a short night still lies ahead; never release in the past.
  return new Date(Math.max(ends, now.getTime() + 1000));
}
