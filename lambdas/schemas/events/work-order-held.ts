import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Held` v1: The work order was put on hold. */
export const workOrderHeld = defineEvent(
  'WorkOrder.Held',
  1,
  transitionDetail.extend({ reason: z.string() }),
);
