import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Cancelled` v1: The work order was cancelled before completion. */
export const workOrderCancelled = defineEvent(
  'WorkOrder.Cancelled',
  1,
  transitionDetail.extend({ reason: z.string() }),
);
