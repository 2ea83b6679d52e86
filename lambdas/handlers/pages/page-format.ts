import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { WorkOrderStatus } from '../../domain/work-orders/work-order.ts';

/** A day as customers read it: `Friday, March 14`. */
export const longDay = (instant: string, timeZone: string): string =>
  format(new TZDate(instant, timeZone), 'EEEE, MMMM d');

/** A time of day: `8:00 AM`. */
export const clockTime = (instant: string, timeZone: string): string =>
  format(new TZDate(instant, timeZone), 'h:mm a');

/** A day and a time: `March 14, 2025 at 4:05 PM`. */
export const dayAndTime = (instant: string, timeZone: string): string =>
  format(new TZDate(instant, timeZone), "MMMM d, yyyy 'at' h:mm a");

/** An arrival window (`8:00 AM – 12:00 PM`), or the exact time when there is none. */
export function arrivalText(
  booking: { start: string; arrivalWindow?: { start: string; end: string } },
  timeZone: string,
): string {
  if (!booking.arrivalWindow) return `at ${clockTime(booking.start, timeZone)}`;
  return `between ${clockTime(booking.arrivalWindow.start, timeZone)} and ${clockTime(booking.arrivalWindow.end, timeZone)}`;
}

/** Each status in the customer's words, and how it is marked. */
export const statusWords: Record<WorkOrderStatus, { text: string; tone: 'open' | 'done' | 'cancelled' }> = {
  new: { text: 'Waiting for a time', tone: 'open' },
  scheduled: { text: 'Booked', tone: 'open' },
  dispatched: { text: 'Booked, technician assigned', tone: 'open' },
  en_route: { text: 'On the way', tone: 'open' },
  arrived: { text: 'Technician on site', tone: 'open' },
  in_progress: { text: 'Work in progress', tone: 'open' },
  paused: { text: 'Work paused', tone: 'open' },
  completed: { text: 'Work completed', tone: 'done' },
  invoiced: { text: 'Work completed', tone: 'done' },
  paid: { text: 'Completed and paid', tone: 'done' },
  on_hold: { text: 'On hold', tone: 'open' },
  cancelled: { text: 'Cancelled', tone: 'cancelled' },
  needs_attention: { text: 'We are looking into it', tone: 'open' },
};
