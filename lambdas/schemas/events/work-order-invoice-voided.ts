import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/**
 * `WorkOrder.InvoiceVoided` v1: The office voided an unpaid invoice; a fresh draft, priced from
 * the work and the rules as they are now, replaces it and waits for approval.
 */
export const workOrderInvoiceVoided = defineEvent(
  'WorkOrder.InvoiceVoided',
  1,
  transitionDetail.extend({
    invoiceId: z.string(),
    replacementInvoiceId: z.string(),
    reason: z.string(),
    total: z.number().int(),
    currency: z.string(),
  }),
);
