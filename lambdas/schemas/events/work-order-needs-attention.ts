import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.NeedsAttention` v1: Automation failed; the office must look at the work order. */
export const workOrderNeedsAttention = defineEvent(
  'WorkOrder.NeedsAttention',
  1,
  transitionDetail.extend({ error: z.string() }),
);
