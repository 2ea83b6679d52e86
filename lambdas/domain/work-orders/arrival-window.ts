import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { WorkOrder } from './work-order.ts';

type Booking = Pick<WorkOrder, 'scheduledStart' | 'scheduledEnd' | 'arrivalWindow'>;

export interface ArrivalWindow {
  /** The visit's start and end in the tenant's time zone, with its offset (`2025-03-14T09:00:00-04:00`). */
  start: string;
  end: string;
  timeZone: string;
  /** As a customer or technician reads it: `Fri Mar 14 between 8:00 AM and 12:00 PM`, or `Fri Mar 14 at 9:00 AM`. */
  text: string;
}

/**
 * The arrival promised, as people say it, in the tenant's time zone: the arrival window the
 * booking fell in (`Fri Mar 14 between 8:00 AM and 12:00 PM`), or the exact start when the
 * tenant offers exact times (`Fri Mar 14 at 9:00 AM`).
 */
export function describeArrivalWindow(workOrder: Booking, timeZone: string): string {
  if (!workOrder.scheduledStart) return 'a time to be agreed';
  const start = new TZDate(workOrder.scheduledStart, timeZone);
  const day = format(start, 'EEE MMM d');
  if (!workOrder.arrivalWindow) return `${day} at ${format(start, 'h:mm a')}`;
  const from = new TZDate(workOrder.arrivalWindow.start, timeZone);
  const to = new TZDate(workOrder.arrivalWindow.end, timeZone);
  return `${day} between ${format(from, 'h:mm a')} and ${format(to, 'h:mm a')}`;
}

/** The booked visit in the tenant's time zone; undefined while the work order is not booked. */
export function arrivalWindow(workOrder: Booking, timeZone: string): ArrivalWindow | undefined {
  if (!workOrder.scheduledStart) return undefined;
  const local = (instant: string) => format(new TZDate(instant, timeZone), "yyyy-MM-dd'T'HH:mm:ssXXX");
  return {
    start: local(workOrder.scheduledStart),
    end: local(workOrder.scheduledEnd ?? workOrder.scheduledStart),
    timeZone,
    text: describeArrivalWindow(workOrder, timeZone),
  };
}
