import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { DirectoryStore } from '../../ports/work-order-store.ts';
import type { Tenant } from '../customers/customer.ts';
import { formatAddress } from '../dispatch/dispatch-package.ts';
import { describeArrivalWindow } from '../work-orders/arrival-window.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import { appointmentCalendarAttachment } from './appointment-calendar.ts';
import { channelsFor } from './contact-channels.ts';
import {
  type CustomerMessengerDependencies,
  type MessageOutcome,
  messageCustomer,
} from './customer-messenger.ts';

export interface BookingConfirmationDependencies extends CustomerMessengerDependencies {
  directory: Pick<DirectoryStore, 'getCustomer' | 'getServiceType' | 'getLocation'>;
}

export interface BookingConfirmation {
  outcomes: MessageOutcome[];
  /** Why nobody was told (no phone or email on file). */
  unsentReason?: string;
}

/** The dedupe key of a booking's confirmation: one per booked start, so a new booking is confirmed again. */
export const confirmationKey = (workOrder: Pick<WorkOrder, 'workOrderId' | 'scheduledStart'>) =>
  `confirmation-${workOrder.workOrderId}-${workOrder.scheduledStart ?? 'unscheduled'}`;

/**
 * Tells the customer their visit is booked (the `confirmation` template): the day, the arrival
 * window, the service and the address, by their channels; the email carries the visit as an
 * `.ics` calendar entry (UID the work order, SEQUENCE its version, so a new booking replaces
 * the entry). Once per booked start (`confirmationKey`).
 */
export async function sendBookingConfirmation(
  deps: BookingConfirmationDependencies,
  workOrder: WorkOrder,
  tenant: Tenant,
  /** `link`: the customer's appointment page, where they see, add access notes to, move or cancel the visit. */
  options: { link?: string } = {},
): Promise<BookingConfirmation> {
  const { tenantId } = workOrder;
  const [customer, serviceType, location] = await Promise.all([
    deps.directory.getCustomer(tenantId, workOrder.customerId),
    workOrder.serviceTypeId ? deps.directory.getServiceType(tenantId, workOrder.serviceTypeId) : undefined,
    workOrder.locationId ? deps.directory.getLocation(tenantId, workOrder.locationId) : undefined,
  ]);
  if (!customer || channelsFor(customer).length === 0) {
    return { outcomes: [], unsentReason: 'no phone or email on file' };
  }
  const service = serviceType?.name ?? 'service';
  const window = describeArrivalWindow(workOrder, tenant.timeZone);
  const address = location ? formatAddress(location.address) : undefined;
  const start = workOrder.arrivalWindow?.start ?? workOrder.scheduledStart;
  const end = [workOrder.scheduledEnd, workOrder.arrivalWindow?.end]
    .filter((instant): instant is string => Boolean(instant))
    .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  const attachments =
    start && end
      ? [
          appointmentCalendarAttachment({
            workOrderId: workOrder.workOrderId,
            tenantName: tenant.name,
            start,
            end,
            summary: `${service} visit (${tenant.name})`,
            ...(address ? { location: address } : {}),
            description: [
              `Arrival ${window}.`,
              'The technician will call when on the way.',
              workOrder.description ? `Your request: ${workOrder.description}` : undefined,
            ]
              .filter(Boolean)
              .join('\n'),
            sequence: workOrder.version,
            stamp: deps.clock.now(),
          }),
        ]
      : undefined;
  const outcomes = await messageCustomer(deps, {
    tenant,
    customer,
    purpose: 'confirmation',
    workOrderId: workOrder.workOrderId,
    values: {
      service,
      window,
      date: workOrder.scheduledStart
        ? format(new TZDate(workOrder.scheduledStart, tenant.timeZone), 'EEEE, MMMM d')
        : undefined,
      address,
      link: options.link,
    },
    dedupeKey: confirmationKey(workOrder),
    ...(attachments ? { attachments } : {}),
  });
  return { outcomes };
}
