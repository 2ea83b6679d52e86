import { ConflictError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { type ActionDependencies, performAction } from '../work-orders/perform-action.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import { type Arrival, earliestArrivals } from './asap.ts';
import { bookingsOf, qualifiedTechnicians, type SlotDependencies, travelFor, visitContext } from './slots.ts';

/** How far ahead an emergency looks for a technician. */
const asapHorizonMs = 7 * 86_400_000;
/** Candidates tried when a concurrent booking takes the first one's time. */
const maxAttempts = 3;

export interface ArrivalView {
  technicianId: string;
  technicianName: string;
  start: string;
  end: string;
  comingFrom: { workOrderId: string; freeAt: string } | 'home base' | 'unknown';
  travelMinutes?: number;
}

export const toArrivalView = (arrival: Arrival): ArrivalView => ({
  technicianId: arrival.technicianId,
  technicianName: arrival.technicianName,
  start: new Date(arrival.start).toISOString(),
  end: new Date(arrival.end).toISOString(),
  comingFrom:
    typeof arrival.comingFrom === 'string'
      ? arrival.comingFrom
      : {
          workOrderId: arrival.comingFrom.workOrderId,
          freeAt: new Date(arrival.comingFrom.freeAt).toISOString(),
        },
  ...(arrival.travelMinutes !== undefined ? { travelMinutes: arrival.travelMinutes } : {}),
});

export interface AsapBooking {
  workOrder: WorkOrder;
  booked: ArrivalView;
  /** The next soonest technicians, for the office to weigh. */
  alternatives: ArrivalView[];
}

/**
 * Books an emergency with the qualified technician who can be there first (`earliestArrivals`),
 * through the schedule action, so every rule of a booking holds. When a concurrent booking takes
 * that technician's time first, the search runs again on fresh reads. 409 when no qualified
 * technician is free within a week.
 */
export async function bookAsap(
  dependencies: ActionDependencies & Pick<SlotDependencies, 'technicians'>,
  actor: Actor,
  workOrderId: string,
  options: { expectedVersion?: number } = {},
): Promise<AsapBooking> {
  for (let attempt = 1; ; attempt += 1) {
    const context = await visitContext(dependencies, actor, workOrderId);
    if (context.workOrder.status !== 'new') {
      throw new ConflictError(
        `An emergency booking is for a new work order; this one is ${context.workOrder.status}`,
        { currentStatus: context.workOrder.status },
      );
    }
    const now = dependencies.clock.now().getTime();
    const technicians = await qualifiedTechnicians(
      dependencies.technicians,
      actor.tenantId,
      context.requiredSkills,
    );
    const bookings = await bookingsOf(dependencies, actor.tenantId, technicians, {
      from: now,
      to: now + asapHorizonMs,
    });
    const travel = await travelFor(
      bookings,
      context.location,
      dependencies.travelTimes(context.settings),
      workOrderId,
    );
    const arrivals = earliestArrivals(
      {
        calendar: context.calendar,
        now,
        until: now + asapHorizonMs,
        durationMinutes: context.durationMinutes,
        requiredSkills: context.requiredSkills,
        ...(context.location ? { location: context.location } : {}),
        workOrderId,
      },
      bookings,
      travel.lookup,
    );
    const [first, ...others] = arrivals;
    if (!first) {
      throw new ConflictError('No qualified technician is free within the next 7 days', {
        requiredSkills: context.requiredSkills,
      });
    }
    try {
      const workOrder = await performAction(
        dependencies,
        actor,
        workOrderId,
        {
          action: 'schedule',
          start: new Date(first.start).toISOString(),
          end: new Date(first.end).toISOString(),
          technicianId: first.technicianId,
        },
        options,
      );
      return { workOrder, booked: toArrivalView(first), alternatives: others.slice(0, 3).map(toArrivalView) };
    } catch (error) {
      // The technician's time was taken between the search and the booking: look again.
      const takenMeanwhile =
        error instanceof ConflictError && Array.isArray(error.extensions.errors) && attempt < maxAttempts;
      if (!takenMeanwhile) throw error;
    }
  }
}
