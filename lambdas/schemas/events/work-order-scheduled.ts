import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Scheduled` v1: A visit was booked. */
export const workOrderScheduled = defineEvent(
  'WorkOrder.Scheduled',
  1,
  transitionDetail.extend({
    scheduledStart: z.string(),
    scheduledEnd: z.string(),
    technicianId: z.string().optional(),
  }),
);
