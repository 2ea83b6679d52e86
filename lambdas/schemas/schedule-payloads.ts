import { z } from 'zod';

// What a one-time schedule (or a rule on the event bus) hands the schedule-target function. Each
// payload names its `kind`; the function dispatches on it. Producers build payloads with these
// schemas' types, so what is scheduled today still parses when it fires months later.

const tenantId = z.string().min(1);

/** Is the invoice still unpaid after its due date? Check `check` (1, 2, …) of the invoice. */
export const invoiceOverduePayload = z
  .object({
    kind: z.literal('invoice-overdue'),
    tenantId,
    /** The record whose item collection holds the invoice: its work order (or agreement). */
    workOrderId: z.string().min(1),
    invoiceId: z.string().min(1),
    check: z.number().int().positive(),
  })
  .strict();

/** The invoice was paid in full: its pending overdue check is deleted. */
export const invoicePaidPayload = z
  .object({
    kind: z.literal('invoice-paid'),
    tenantId,
    workOrderId: z.string().min(1),
    invoiceId: z.string().min(1),
  })
  .strict();

/** Bill period `period` (0 is the first) of a service agreement. */
export const agreementBillingPayload = z
  .object({
    kind: z.literal('agreement-billing'),
    tenantId,
    agreementId: z.string().min(1),
    period: z.number().int().min(0),
  })
  .strict();

export const schedulePayload = z.discriminatedUnion('kind', [
  invoiceOverduePayload,
  invoicePaidPayload,
  agreementBillingPayload,
]);

export type InvoiceOverduePayload = z.infer<typeof invoiceOverduePayload>;
export type InvoicePaidPayload = z.infer<typeof invoicePaidPayload>;
export type AgreementBillingPayload = z.infer<typeof agreementBillingPayload>;
export type SchedulePayload = z.infer<typeof schedulePayload>;
