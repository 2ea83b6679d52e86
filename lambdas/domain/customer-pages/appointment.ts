import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import { AppError, ConflictError } from '../../shared/errors.ts';
import { locationAccess } from '../customers/customer.ts';
import type { CustomerDirectory } from '../customers/customer-directory.ts';
import { updateLocation } from '../customers/locations.ts';
import { firstNameOf } from '../notifications/message-templates.ts';
import { rankedSlots, type SlotDependencies, type SlotView } from '../scheduling/slots.ts';
import type { Actor } from '../shared/actor.ts';
import { allowedActions } from '../work-orders/lifecycle.ts';
import { type ActionDependencies, performAction } from '../work-orders/perform-action.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import { auditEvent, type WorkOrder, type WorkOrderStatus } from '../work-orders/work-order.ts';

export type AppointmentDependencies = ActionDependencies & {
  directory: CustomerDirectory;
  workOrders: WorkOrderStore;
};

/** What the customer's appointment page shows: their visit, never anyone else's details. */
export interface Appointment {
  workOrder: WorkOrder;
  tenantName: string;
  timeZone: string;
  customerFirstName?: string;
  serviceName?: string;
  /** Only the first name of the technician the visit is booked with. */
  technicianFirstName?: string;
  serviceAddress?: string;
  /** The location's own notes (what the customer can change), else the work order's. */
  accessNotes?: string;
  canUpdateAccessNotes: boolean;
  /** Another time can be chosen (a booked visit), or a first one (a visit not booked yet). */
  canChooseTime: boolean;
  canCancel: boolean;
}

/** Until the technician is on site, the customer's notes on getting in still help. */
const accessNotesOpenIn: readonly WorkOrderStatus[] = [
  'new',
  'scheduled',
  'dispatched',
  'en_route',
  'on_hold',
];

/** How many times the page offers, and how far ahead it looks. */
export const offeredSlotCount = 8;

/** The customer's visit as their appointment page shows it. */
export async function readAppointment(
  dependencies: AppointmentDependencies,
  actor: Actor,
): Promise<Appointment> {
  const workOrder = await getWorkOrder(dependencies.workOrders, actor, actor.workOrderId ?? '');
  const { directory } = dependencies;
  const { tenantId } = workOrder;
  const [tenant, customer, location, serviceType, technician] = await Promise.all([
    directory.getTenant(tenantId),
    directory.getCustomer(tenantId, workOrder.customerId),
    workOrder.locationId ? directory.getLocation(tenantId, workOrder.locationId) : undefined,
    workOrder.serviceTypeId ? directory.getServiceType(tenantId, workOrder.serviceTypeId) : undefined,
    workOrder.technicianId ? directory.getTechnician(tenantId, workOrder.technicianId) : undefined,
  ]);
  const allowed = allowedActions(workOrder, actor);
  const technicianFirstName = firstNameOf(technician?.name);
  const customerFirstName = firstNameOf(customer?.name);
  const accessNotes = location?.accessNotes ?? workOrder.accessNotes;
  return {
    workOrder,
    tenantName: tenant?.name ?? '',
    timeZone: tenant?.timeZone ?? 'UTC',
    ...(customerFirstName ? { customerFirstName } : {}),
    ...(serviceType ? { serviceName: serviceType.name } : {}),
    ...(technicianFirstName ? { technicianFirstName } : {}),
    ...(location ? { serviceAddress: formatLine(location.address) } : {}),
    ...(accessNotes ? { accessNotes } : {}),
    canUpdateAccessNotes: location !== undefined && accessNotesOpenIn.includes(workOrder.status),
    canChooseTime: allowed.includes('reschedule') || allowed.includes('schedule'),
    canCancel: allowed.includes('cancel'),
  };
}

const formatLine = (address: { line1: string; line2?: string; city: string; postalCode: string }) =>
  [address.line1, address.line2, `${address.city} ${address.postalCode}`].filter(Boolean).join(', ');

/**
 * Changes the access notes of the visit's service location (the same use case as the office's
 * location update) and carries them onto the work order the technician reads, with an audit
 * event by the customer. Only until the technician is on site (409 after).
 */
export async function updateAccessNotes(
  dependencies: AppointmentDependencies,
  actor: Actor,
  accessNotes: string,
): Promise<WorkOrder> {
  const current = await getWorkOrder(dependencies.workOrders, actor, actor.workOrderId ?? '');
  if (!current.locationId || !accessNotesOpenIn.includes(current.status)) {
    throw new ConflictError(`Access notes are not taken for a ${current.status} visit`, {
      currentStatus: current.status,
    });
  }
  const location = await updateLocation(
    {
      directory: dependencies.directory,
      workOrders: dependencies.workOrders,
      clock: dependencies.clock,
      ids: dependencies.ids,
    },
    actor,
    current.locationId,
    { accessNotes },
  );
  const notes = locationAccess(location);
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const before = await getWorkOrder(dependencies.workOrders, actor, current.workOrderId);
    if (before.accessNotes === notes) return before;
    const now = dependencies.clock.now().toISOString();
    const after: WorkOrder = {
      ...before,
      ...(notes ? { accessNotes: notes } : {}),
      version: before.version + 1,
      updatedAt: now,
    };
    if (!notes) delete after.accessNotes;
    const event = auditEvent({
      eventId: dependencies.ids.next('evt'),
      action: 'updateAccessNotes',
      actor,
      at: now,
      before,
      after,
    });
    if (await dependencies.workOrders.apply({ before, after, event })) return after;
  }
  throw new ConflictError('The work order kept changing; try again');
}

/** One time the customer may choose: when the technician would arrive, and with whom (by id only). */
export interface OfferedSlot {
  start: string;
  technicianId: string;
  arrivalWindow: { start: string; end: string };
}

const slotDependencies = (
  dependencies: AppointmentDependencies & Pick<SlotDependencies, 'technicians' | 'durations'>,
): SlotDependencies => ({
  workOrders: dependencies.workOrders,
  directory: dependencies.directory,
  technicians: dependencies.technicians,
  durations: dependencies.durations,
  travelTimes: dependencies.travelTimes,
  clock: dependencies.clock,
});

export type RescheduleDependencies = AppointmentDependencies &
  Pick<SlotDependencies, 'technicians' | 'durations'>;

/** Every open slot for the visit (the office's ranking, over its default range), best first. */
async function openSlots(
  dependencies: RescheduleDependencies,
  actor: Actor,
  workOrderId: string,
): Promise<SlotView[]> {
  const ranked = await rankedSlots(slotDependencies(dependencies), actor, workOrderId, {
    limit: Number.MAX_SAFE_INTEGER,
  });
  return ranked.slots;
}

function refuseUnlessTimeCanBeChosen(workOrder: WorkOrder, actor: Actor) {
  const allowed = allowedActions(workOrder, actor);
  if (!allowed.includes('reschedule') && !allowed.includes('schedule')) {
    throw new ConflictError(`The time of a ${workOrder.status} visit is no longer changed online`, {
      currentStatus: workOrder.status,
      allowedActions: allowed,
    });
  }
}

/**
 * The times the customer may choose instead: the soonest arrival windows with a qualified
 * technician free (the best ranked technician of each window), the visit's own window left out.
 */
export async function offeredSlots(
  dependencies: RescheduleDependencies,
  actor: Actor,
): Promise<{ workOrder: WorkOrder; slots: OfferedSlot[] }> {
  const workOrder = await getWorkOrder(dependencies.workOrders, actor, actor.workOrderId ?? '');
  refuseUnlessTimeCanBeChosen(workOrder, actor);
  const byWindow = new Map<string, OfferedSlot>();
  for (const slot of await openSlots(dependencies, actor, workOrder.workOrderId)) {
    const window = slot.arrivalWindow;
    if (window.start === workOrder.arrivalWindow?.start || byWindow.has(window.start)) continue;
    byWindow.set(window.start, { start: slot.start, technicianId: slot.technicianId, arrivalWindow: window });
  }
  const slots = [...byWindow.values()]
    .sort((one, other) => Date.parse(one.arrivalWindow.start) - Date.parse(other.arrivalWindow.start))
    .slice(0, offeredSlotCount);
  return { workOrder, slots };
}

/**
 * Moves the visit to a time the customer chose from those offered.
 * 1. The choice must still be an open slot of the visit (searched again now): 409 otherwise.
 * 2. A booked visit is rescheduled (its time released, the workflow taken back to scheduling),
 *    then booked at the chosen time; both are the office's own actions, audited as the customer's.
 * 3. If the chosen time was taken in between, the earlier booking is put back when it still can
 *    be, and the customer is told (409).
 */
export async function rescheduleToSlot(
  dependencies: RescheduleDependencies,
  actor: Actor,
  choice: { start: string; technicianId: string },
): Promise<WorkOrder> {
  const before = await getWorkOrder(dependencies.workOrders, actor, actor.workOrderId ?? '');
  refuseUnlessTimeCanBeChosen(before, actor);
  const { workOrderId } = before;
  if (
    before.status !== 'new' &&
    Date.parse(before.scheduledStart ?? '') === Date.parse(choice.start) &&
    before.technicianId === choice.technicianId
  ) {
    return before;
  }
  const open = await openSlots(dependencies, actor, workOrderId);
  if (
    !open.some(
      (slot) =>
        Date.parse(slot.start) === Date.parse(choice.start) && slot.technicianId === choice.technicianId,
    )
  ) {
    throw new ConflictError('That time is no longer open: choose another', {
      errors: [{ field: 'body.slot', message: 'is not an open time of this visit any more' }],
    });
  }
  if (before.status !== 'new') {
    await performAction(dependencies, actor, workOrderId, {
      action: 'reschedule',
      reason: 'The customer chose another time on their appointment page',
    });
  }
  try {
    return await performAction(dependencies, actor, workOrderId, {
      action: 'schedule',
      start: choice.start,
      technicianId: choice.technicianId,
    });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    const restored = before.status !== 'new' && (await restoreBooking(dependencies, actor, before));
    throw new ConflictError('That time was taken a moment ago: choose another', {
      errors: [{ field: 'body.slot', message: 'was booked by someone else meanwhile' }],
      earlierBookingKept: restored,
    });
  }
}

/** Books the visit back at the time it had, as the customer; false when that is no longer possible. */
async function restoreBooking(
  dependencies: RescheduleDependencies,
  actor: Actor,
  earlier: WorkOrder,
): Promise<boolean> {
  if (!earlier.scheduledStart) return false;
  try {
    await performAction(dependencies, actor, earlier.workOrderId, {
      action: 'schedule',
      start: earlier.scheduledStart,
      ...(earlier.scheduledEnd ? { end: earlier.scheduledEnd } : {}),
      ...(earlier.technicianId ? { technicianId: earlier.technicianId } : {}),
    });
    return true;
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      dependencies.reportFailure(
        `The earlier booking of ${earlier.workOrderId} could not be put back`,
        error,
      );
      return false;
    }
    throw error;
  }
}

/** Cancels the visit at the customer's request, through the office's cancel action (its gates and audit). */
export async function cancelAppointment(
  dependencies: AppointmentDependencies,
  actor: Actor,
  reason: string | undefined,
): Promise<WorkOrder> {
  return performAction(dependencies, actor, actor.workOrderId ?? '', {
    action: 'cancel',
    reason: reason ? `Cancelled by the customer: ${reason}` : 'Cancelled by the customer',
  });
}
