import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Delayed` v1: The technician reported a delay. */
export const workOrderDelayed = defineEvent(
  'WorkOrder.Delayed',
  1,
  transitionDetail.extend({ reason: z.string(), newEta: z.string().optional() }),
);
