import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.PaymentRecorded` v1: A payment was recorded against the invoice; status is `paid` once the balance is zero. */
export const workOrderPaymentRecorded = defineEvent(
  'WorkOrder.PaymentRecorded',
  1,
  transitionDetail.extend({
    invoiceId: z.string(),
    paymentId: z.string(),
    amount: z.number().int(),
    balance: z.number().int(),
  }),
);
