import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Closed` v1: The lifecycle ended: paid in full. */
export const workOrderClosed = defineEvent(
  'WorkOrder.Closed',
  1,
  transitionDetail.extend({ invoiceId: z.string().optional() }),
);
