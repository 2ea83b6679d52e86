import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Completed` v1: The work is done and signed off (or the reason why not is recorded). */
export const workOrderCompleted = defineEvent(
  'WorkOrder.Completed',
  1,
  transitionDetail.extend({ signed: z.boolean(), laborMinutes: z.number(), followUpRequested: z.boolean() }),
);
