import { ConflictError } from '../../shared/errors.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';

/** The grain of bookings: a technician's time is claimed in quarter hours. */
export const sliceMinutes = 15;
const sliceMs = sliceMinutes * 60_000;
export const floorToSlice = (at: number): number => Math.floor(at / sliceMs) * sliceMs;
export const ceilToSlice = (at: number): number => Math.ceil(at / sliceMs) * sliceMs;

export interface TimeSlice {
  technicianId: string;
  /** The quarter hour's start, ISO 8601 in UTC. */
  start: string;
}

/**
 * The quarter hours a visit occupies, from the one its start falls in to the one its end
 * falls in: two visits of one technician overlap exactly when they share a slice. A visit
 * holds at most a day of slices (96), well within one DynamoDB transaction.
 */
export function slicesOf(technicianId: string, start: string, end: string): TimeSlice[] {
  const from = floorToSlice(Date.parse(start));
  const to = ceilToSlice(Date.parse(end));
  const slices: TimeSlice[] = [];
  for (let at = from; at < to && slices.length < 96; at += sliceMs) {
    slices.push({ technicianId, start: new Date(at).toISOString() });
  }
  return slices;
}

/** What a work order holds of its technician's time: nothing until it has both a technician and a time. */
export function bookedSlices(
  workOrder: Pick<WorkOrder, 'technicianId' | 'scheduledStart' | 'scheduledEnd' | 'status'>,
): TimeSlice[] {
  const { technicianId, scheduledStart, scheduledEnd, status } = workOrder;
  if (!technicianId || !scheduledStart || !scheduledEnd) return [];
  // A cancelled or finished visit frees the technician's time.
  if (['cancelled', 'completed', 'invoiced', 'paid'].includes(status)) return [];
  return slicesOf(technicianId, scheduledStart, scheduledEnd);
}

const keyOf = (slice: TimeSlice) => `${slice.technicianId}@${slice.start}`;

/** The slices to claim and to release when a work order changes from `before` to `after`. */
export function bookingChange(
  before: WorkOrder,
  after: WorkOrder,
): { claim: TimeSlice[]; release: TimeSlice[] } {
  const held = bookedSlices(before);
  const wanted = bookedSlices(after);
  const heldKeys = new Set(held.map(keyOf));
  const wantedKeys = new Set(wanted.map(keyOf));
  return {
    claim: wanted.filter((slice) => !heldKeys.has(keyOf(slice))),
    release: held.filter((slice) => !wantedKeys.has(keyOf(slice))),
  };
}

/** The longest visit one booking may hold (longer jobs are booked as several visits). */
export const maxVisitHours = 12;

/** The technician already has another work order at that time. */
export class TechnicianBookedError extends ConflictError {
  constructor(technicianId: string) {
    super(`Technician ${technicianId} is already booked at that time`, {
      errors: [{ field: 'body.start', message: 'the technician already has a job in this time' }],
    });
  }
}
