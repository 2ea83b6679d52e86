import { z } from 'zod';
import { invoiceStatuses } from '../adapters/dynamodb/models.ts';
import { agreementId } from './agreements.ts';
import { isoDateTime } from './common.ts';
import { invoiceId } from './invoices.ts';
import { workOrderId } from './work-orders.ts';

/**
 * What every checkout carries to the provider and back in its events: the invoice it pays, and
 * where that invoice lives (its work order, or the service agreement it bills a period of).
 * An event whose metadata does not read as this is not one of ours.
 */
export const paymentMetadata = z.object({
  tenantId: z.string().min(1).max(100),
  workOrderId: z.union([workOrderId, agreementId]),
  invoiceId,
});

const minorUnits = z.number().int().meta({ description: "Minor units of the invoice's currency" });

export const paymentView = z
  .object({
    id: z.string(),
    invoiceId: z.string(),
    amount: minorUnits,
    method: z.enum(['cash', 'check', 'card', 'bank_transfer']),
    reference: z.string().optional().meta({ description: 'Check number, or the card payment id (pi_…)' }),
    status: z
      .enum(['succeeded'])
      .meta({ description: 'Every recorded payment has been received (refunds are not kept yet)' }),
    recordedBy: z.string().meta({ description: 'The user, or `payments` for online payments' }),
    at: isoDateTime,
  })
  .meta({ id: 'Payment' });

export const invoicePaymentsView = z
  .object({
    invoiceId: z.string(),
    workOrderId: z.string(),
    status: z.enum(invoiceStatuses),
    currency: z.string(),
    total: minorUnits,
    amountPaid: minorUnits,
    balance: minorUnits,
    items: z.array(paymentView).meta({ description: 'Oldest first' }),
  })
  .meta({ id: 'InvoicePayments' });

export const invoicePdfLinkView = z
  .object({
    url: z.string().meta({ description: 'Downloads the PDF until expiresAt' }),
    expiresAt: isoDateTime,
  })
  .meta({ id: 'InvoicePdfLink' });

export const paymentEventAnswer = z
  .object({
    received: z.literal(true),
    eventId: z.string(),
    outcome: z.enum(['recorded', 'duplicate', 'ignored']),
    paymentId: z.string().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'PaymentEventAnswer' });
