import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Paused` v1: Work on site stopped for a while (waiting for parts, customer away, lunch). */
export const workOrderPaused = defineEvent(
  'WorkOrder.Paused',
  1,
  transitionDetail.extend({ reason: z.string(), technicianId: z.string().optional() }),
);
