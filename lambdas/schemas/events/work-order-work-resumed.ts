import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.WorkResumed` v1: Work on site resumed after a pause. */
export const workOrderWorkResumed = defineEvent(
  'WorkOrder.WorkResumed',
  1,
  transitionDetail.extend({
    pauseReason: z.string(),
    pausedMinutes: z.number().int().nonnegative(),
    technicianId: z.string().optional(),
  }),
);
