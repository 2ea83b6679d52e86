import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { WorkOrder } from './work-order.ts';

type Booking = Pick<WorkOrder, 'scheduledStart' | 'scheduledEnd'>;

export interface ArrivalWindow {
  /** The visit's start and end in the tenant's time zone, with its offset (`2025-03-14T09:00:00-04:00`). */
  start: string;
  end: string;
  timeZone: string;
  /** As a customer or technician reads it: `Fri Mar 14 between 9:00 AM and 10:30 AM`. */
  text: string;
}

/** The booked visit as people say it, in the tenant's time zone. */
export function describeArrivalWindow(workOrder: Booking, timeZone: string): string {
  if (!workOrder.scheduledStart) return 'a time to be agreed';
  const start = new TZDate(workOrder.scheduledStart, timeZone);
  const end = workOrder.scheduledEnd ? new TZDate(workOrder.scheduledEnd, timeZone) : undefined;
  return `${format(start, 'EEE MMM d')} between ${format(start, 'h:mm a')} and ${end ? format(end, 'h:mm a') : '?'}`;
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
