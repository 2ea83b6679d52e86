import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Clock } from '../../ports/clock.ts';
import type { Scheduler } from '../../ports/scheduler.ts';
import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import type { AppointmentReminderPayload } from '../../schemas/schedule-payloads.ts';
import type { Tenant } from '../customers/customer.ts';
import { formatAddress } from '../dispatch/dispatch-package.ts';
import { addLocalDays, LocalCalendar } from '../scheduling/local-time.ts';
import { instantOfWallClock } from '../shared/schedule-time.ts';
import { describeArrivalWindow } from '../work-orders/arrival-window.ts';
import type { WorkOrder, WorkOrderStatus } from '../work-orders/work-order.ts';
import {
  type CustomerMessengerDependencies,
  type MessageOutcome,
  messageCustomer,
} from './customer-messenger.ts';

/**
 * The day-before reminder goes out at 17:00 in the tenant's zone on the local day before the
 * visit. A booking made after that time (the same day, or the evening before) gets none: the
 * confirmation the customer has just received says the same thing.
 */
export const appointmentReminderPolicy = { sendTime: '17:00', daysBefore: 1 } as const;

/** The statuses in which the visit is still ahead as booked: a reminder is worth sending. */
const bookedStatuses: WorkOrderStatus[] = ['scheduled', 'dispatched'];

/** One schedule per work order, so that arranging it again moves it. */
export const appointmentReminderName = (workOrderId: string): string => `appointment-reminder-${workOrderId}`;

type Booking = Pick<WorkOrder, 'tenantId' | 'workOrderId' | 'status' | 'scheduledStart'>;

/** The local wall-clock time the reminder of a visit starting at `scheduledStart` is sent. */
export function appointmentReminderTime(scheduledStart: string, timeZone: string): string {
  const visitDay = new LocalCalendar(timeZone).dayOf(scheduledStart);
  const day = addLocalDays(visitDay, -appointmentReminderPolicy.daysBefore);
  return `${day}T${appointmentReminderPolicy.sendTime}:00`;
}

export type ArrangedReminder = { reminder: 'arranged'; at: string } | { reminder: 'none'; reason: string };

/**
 * Arranges (or moves) the day-before reminder of a booked work order; called when the booking is
 * confirmed, which happens again after every reschedule. A work order not booked, or whose
 * reminder time has passed, has its pending reminder deleted instead, so none goes out for an
 * earlier booking.
 */
export async function arrangeAppointmentReminder(
  deps: { scheduler: Scheduler; clock: Clock },
  workOrder: Booking,
  tenant: Pick<Tenant, 'timeZone'>,
): Promise<ArrangedReminder> {
  const name = appointmentReminderName(workOrder.workOrderId);
  const start = workOrder.scheduledStart;
  if (!start || !bookedStatuses.includes(workOrder.status)) {
    await deps.scheduler.delete(name);
    return { reminder: 'none', reason: 'not booked' };
  }
  const at = appointmentReminderTime(start, tenant.timeZone);
  if (instantOfWallClock(at, tenant.timeZone).getTime() <= deps.clock.now().getTime()) {
    await deps.scheduler.delete(name);
    return { reminder: 'none', reason: 'booked after the reminder time' };
  }
  const payload: AppointmentReminderPayload = {
    kind: 'appointment-reminder',
    tenantId: workOrder.tenantId,
    workOrderId: workOrder.workOrderId,
    scheduledStart: start,
  };
  await deps.scheduler.put({ name, at, timeZone: tenant.timeZone, payload });
  return { reminder: 'arranged', at };
}

/**
 * Deletes the day-before reminder of a work order that was cancelled or sent back to scheduling.
 * The work order is read again after the deletion: if it has been booked again meanwhile (its
 * new confirmation may have arranged the reminder just before this deletion), the reminder is
 * arranged for the new booking, so none is lost whichever ran first.
 */
export async function withdrawAppointmentReminder(
  deps: {
    scheduler: Scheduler;
    clock: Clock;
    workOrders: Pick<WorkOrderStore, 'get'>;
    directory: Pick<DirectoryStore, 'getTenant'>;
  },
  key: { tenantId: string; workOrderId: string },
): Promise<ArrangedReminder> {
  await deps.scheduler.delete(appointmentReminderName(key.workOrderId));
  const [workOrder, tenant] = await Promise.all([
    deps.workOrders.get(key.tenantId, key.workOrderId),
    deps.directory.getTenant(key.tenantId),
  ]);
  if (!workOrder || !tenant || !workOrder.scheduledStart || !bookedStatuses.includes(workOrder.status))
    return { reminder: 'none', reason: 'not booked' };
  return arrangeAppointmentReminder(deps, workOrder, tenant);
}

export interface AppointmentReminderDependencies extends CustomerMessengerDependencies {
  workOrders: Pick<WorkOrderStore, 'get'>;
  directory: Pick<
    DirectoryStore,
    'getTenant' | 'getCustomer' | 'getTechnician' | 'getServiceType' | 'getLocation'
  >;
}

export type AppointmentReminderOutcome =
  | { outcome: 'sent'; messages: MessageOutcome[] }
  | { outcome: 'stale' | 'not booked' | 'too late' | 'unknown work order' | 'no customer' };

/** The customer-facing day of a visit: `Fri Mar 14`. */
const visitDate = (scheduledStart: string, timeZone: string) =>
  format(new TZDate(scheduledStart, timeZone), 'EEE MMM d');

/**
 * The reminder's time has come (schedule kind `appointment-reminder`). It is sent only if the
 * work order is still booked (scheduled or dispatched) for the very start it was arranged for,
 * and that start is still ahead; a reminder left from an earlier booking, or of a job cancelled
 * or sent back to scheduling, does nothing. The message (purpose `reminder`) names the day, the
 * arrival window, the service, the address and the technician's first name when one is
 * assigned; its dedupe key is the work order and the start, so a schedule delivered twice sends
 * it once.
 */
export async function sendAppointmentReminder(
  deps: AppointmentReminderDependencies,
  payload: AppointmentReminderPayload,
): Promise<AppointmentReminderOutcome> {
  const [workOrder, tenant] = await Promise.all([
    deps.workOrders.get(payload.tenantId, payload.workOrderId),
    deps.directory.getTenant(payload.tenantId),
  ]);
  if (!workOrder || !tenant) return { outcome: 'unknown work order' };
  if (!bookedStatuses.includes(workOrder.status)) return { outcome: 'not booked' };
  if (workOrder.scheduledStart !== payload.scheduledStart) return { outcome: 'stale' };
  if (Date.parse(payload.scheduledStart) <= deps.clock.now().getTime()) return { outcome: 'too late' };
  const { tenantId } = workOrder;
  const [customer, technician, serviceType, location] = await Promise.all([
    deps.directory.getCustomer(tenantId, workOrder.customerId),
    workOrder.technicianId ? deps.directory.getTechnician(tenantId, workOrder.technicianId) : undefined,
    workOrder.serviceTypeId ? deps.directory.getServiceType(tenantId, workOrder.serviceTypeId) : undefined,
    workOrder.locationId ? deps.directory.getLocation(tenantId, workOrder.locationId) : undefined,
  ]);
  if (!customer) return { outcome: 'no customer' };
  const technicianFirstName = technician?.name.split(/\s+/)[0];
  const messages = await messageCustomer(deps, {
    tenant,
    customer,
    purpose: 'reminder',
    workOrderId: workOrder.workOrderId,
    values: {
      date: visitDate(payload.scheduledStart, tenant.timeZone),
      window: describeArrivalWindow(workOrder, tenant.timeZone),
      ...(serviceType ? { service: serviceType.name } : {}),
      ...(location ? { address: formatAddress(location.address) } : {}),
      ...(technicianFirstName
        ? { technicianFirstName, note: `${technicianFirstName} will be your technician.` }
        : {}),
    },
    dedupeKey: `reminder-${workOrder.workOrderId}-${payload.scheduledStart}`,
  });
  return { outcome: 'sent', messages };
}
