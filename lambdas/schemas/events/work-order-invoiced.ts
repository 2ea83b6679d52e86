import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Invoiced` v1: The office approved the invoice. */
export const workOrderInvoiced = defineEvent(
  'WorkOrder.Invoiced',
  1,
  transitionDetail.extend({ invoiceId: z.string(), total: z.number().int(), currency: z.string() }),
);
