import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Rescheduled` v1: The booked visit was released; the work order is back to scheduling. */
export const workOrderRescheduled = defineEvent(
  'WorkOrder.Rescheduled',
  1,
  transitionDetail.extend({ reason: z.string(), previousStart: z.string().optional() }),
);
