import type { TravelTimes } from '../../ports/travel-times.ts';
import type { DirectoryStore, TechnicianDetails, WorkOrderStore } from '../../ports/work-order-store.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../../shared/errors.ts';
import type { Tenant } from '../customers/customer.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import { Agenda, describeMisfit, isMisfit } from './agenda.ts';
import { LocalCalendar } from './local-time.ts';
import { type SchedulingSettings, schedulingSettingsOf } from './scheduling-settings.ts';
import { bookingsOf, coordinatesOf } from './slots.ts';
import { TechnicianBookedError } from './time-slices.ts';
import { TravelMatrix } from './travel-matrix.ts';

export interface BookingCheckDependencies {
  workOrders: Pick<WorkOrderStore, 'visitsOf'>;
  directory: Pick<DirectoryStore, 'getLocations'>;
  travelTimes: (settings: SchedulingSettings) => TravelTimes;
}

/**
 * Refuses a booking of `technician` for the work order from `start` to `end` that the
 * technician cannot take, with the same rules the slots are found by:
 * - 422 (the dispatch gate's wording) when the technician lacks a required skill;
 * - 400 on `body.technicianId` when the technician is no longer active;
 * - 409 on `body.start` outside their working hours, in their time off, over another visit,
 *   or without the travel time from the visit before or to the visit after.
 * The quarter hours themselves are claimed in the booking's transaction, so two concurrent
 * bookings of the same time cannot both pass; the travel time between two visits booked at
 * the same instant is checked on what each read.
 */
export async function checkBooking(
  dependencies: BookingCheckDependencies,
  tenant: Tenant,
  technician: TechnicianDetails,
  workOrder: Pick<WorkOrder, 'workOrderId' | 'locationId'> & { requiredSkills: string[] },
  visit: { start: number; end: number; now: number },
): Promise<void> {
  const lacking = workOrder.requiredSkills.filter((skill) => !technician.skills.includes(skill));
  if (lacking.length > 0) {
    const missing = lacking.map((skill) => `technician skill: ${skill}`);
    throw new UnprocessableError(`Cannot schedule with this technician: ${missing.join(', ')} missing`, {
      missing,
    });
  }
  if (technician.active === false) {
    throw new ValidationError([{ field: 'body.technicianId', message: 'the technician is not active' }]);
  }
  const calendar = new LocalCalendar(tenant.timeZone);
  const agendaOf = {
    technicianId: technician.technicianId,
    workingHours: technician.workingHours ?? {},
    timeOff: technician.timeOff ?? [],
  };
  const [bookings, [place]] = await Promise.all([
    bookingsOf(dependencies, tenant.tenantId, [agendaOf], { from: visit.start, to: visit.end }),
    workOrder.locationId ? dependencies.directory.getLocations(tenant.tenantId, [workOrder.locationId]) : [],
  ]);
  const visits = (bookings[0]?.visits ?? []).filter((booked) => booked.workOrderId !== workOrder.workOrderId);
  const location = coordinatesOf(place);
  const travel = new TravelMatrix();
  travel.addAround(
    location,
    visits.map((booked) => booked.location),
  );
  await travel.resolve(dependencies.travelTimes(schedulingSettingsOf(tenant)));
  const agenda = new Agenda(agendaOf, visits, calendar, visit.now);
  const result = agenda.misfit(calendar.dayOf(visit.start), visit.start, visit.end, location, travel.lookup);
  if (!isMisfit(result) || result.kind === 'inThePast') return;
  if (result.kind === 'overlap') throw new TechnicianBookedError(technician.technicianId);
  throw new ConflictError(`Cannot book the technician then: ${describeMisfit(result, calendar)}`, {
    errors: [{ field: 'body.start', message: describeMisfit(result, calendar) }],
  });
}
