import { z } from 'zod';
import { isoDateTime } from './common.ts';
import { serviceTypeId, workOrderView } from './work-orders.ts';

const localTime = z.string().meta({ description: 'A local time, HH:mm', example: '08:00' });

export const schedulingSettingsView = z
  .object({
    arrivalWindows: z
      .array(z.object({ start: localTime, end: localTime }).strict())
      .max(12)
      .meta({
        description:
          'Arrival windows offered to customers in the tenant’s time zone; empty: exact start times',
        example: [
          { start: '08:00', end: '12:00' },
          { start: '12:00', end: '16:00' },
        ],
      }),
    slotStepMinutes: z
      .number()
      .int()
      .meta({ description: 'Spacing of exact start times when there are no arrival windows: 15, 30 or 60' }),
    averageSpeedKmh: z.number().meta({ description: 'Average driving speed travel times are estimated at' }),
  })
  .strict()
  .meta({ id: 'SchedulingSettings' });

export const schedulingSettingsBody = schedulingSettingsView
  .partial()
  .meta({ id: 'SchedulingSettingsChange' });

/** A local day (the tenant's) or an ISO 8601 instant with an offset. */
const dayOrInstant = z.string().min(10).max(40).meta({
  description: 'A local day YYYY-MM-DD (the whole day) or an ISO 8601 date-time',
  example: '2027-03-15',
});

export const slotQuery = z
  .object({
    from: dayOrInstant.optional().meta({ description: 'Defaults to now' }),
    to: dayOrInstant.optional().meta({ description: 'Defaults to 14 days from `from`; at most 31 days' }),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const availabilityQuery = z
  .object({
    serviceTypeId,
    from: dayOrInstant.optional(),
    to: dayOrInstant.optional(),
  })
  .strict();

const slotReason = z
  .object({
    factor: z.enum(['skills', 'travel', 'preference', 'workload', 'soonness']),
    points: z.number(),
    maxPoints: z.number(),
    detail: z.string(),
  })
  .meta({ id: 'SlotReason' });

export const slotView = z
  .object({
    technicianId: z.string(),
    technicianName: z.string(),
    date: z.string().meta({ description: 'The local day of the visit' }),
    start: isoDateTime.meta({ description: 'The start to book (schedule) the visit at' }),
    end: isoDateTime,
    arrivalWindow: z
      .object({ start: isoDateTime, end: isoDateTime })
      .meta({ description: 'What the customer is promised; start = end for an exact time' }),
    score: z.number().meta({ description: 'Out of 100: travel 40, preference 25, workload 20, soonness 15' }),
    reasons: z.array(slotReason),
  })
  .meta({ id: 'Slot' });

export const rankedSlotsView = z
  .object({
    workOrderId: z.string(),
    durationMinutes: z.number().int(),
    requiredSkills: z.array(z.string()),
    from: isoDateTime,
    to: isoDateTime,
    total: z.number().int().meta({ description: 'Open slots found before the limit' }),
    slots: z.array(slotView),
  })
  .meta({ id: 'RankedSlots' });

export const availabilityView = z
  .object({
    serviceTypeId: z.string(),
    durationMinutes: z.number().int(),
    requiredSkills: z.array(z.string()),
    from: isoDateTime,
    to: isoDateTime,
    qualifiedTechnicians: z.number().int(),
    days: z.array(
      z.object({
        date: z.string(),
        technicians: z.number().int(),
        slots: z.number().int(),
        openMinutes: z.number().int(),
        earliestStart: isoDateTime.optional(),
        windows: z
          .array(z.object({ start: isoDateTime, end: isoDateTime, technicians: z.number().int() }))
          .optional(),
      }),
    ),
  })
  .meta({ id: 'Availability' });

const arrivalView = z
  .object({
    technicianId: z.string(),
    technicianName: z.string(),
    start: isoDateTime,
    end: isoDateTime,
    comingFrom: z.union([
      z.object({ workOrderId: z.string(), freeAt: isoDateTime }),
      z.enum(['home base', 'unknown']),
    ]),
    travelMinutes: z.number().int().optional(),
  })
  .meta({ id: 'Arrival' });

export const asapBookingView = z
  .object({ workOrder: workOrderView, booked: arrivalView, alternatives: z.array(arrivalView) })
  .meta({ id: 'AsapBooking' });
