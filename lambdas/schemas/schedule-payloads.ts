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

/**
 * The day before a booked visit: remind the customer, if the work order is still booked for
 * `scheduledStart` (a schedule left from an earlier booking does nothing).
 */
export const appointmentReminderPayload = z
  .object({
    kind: z.literal('appointment-reminder'),
    tenantId,
    workOrderId: z.string().min(1),
    scheduledStart: z.string().min(1),
  })
  .strict();

/** A follow-up reminder's day: its office task and/or customer message, once. */
export const followUpReminderPayload = z
  .object({
    kind: z.literal('follow-up-reminder'),
    tenantId,
    workOrderId: z.string().min(1),
    reminderId: z.string().min(1),
  })
  .strict();

/** Create the work order of the visit on `day` (a local day) of a service agreement's plan. */
export const agreementVisitPayload = z
  .object({
    kind: z.literal('agreement-visit'),
    tenantId,
    agreementId: z.string().min(1),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  })
  .strict();

/**
 * The end of quiet hours: send the customer message held for them (`releaseHeldMessage`), if it
 * is still held; the work order (else the customer) names the item collection it is logged in.
 */
export const messageReleasePayload = z
  .object({
    kind: z.literal('message-release'),
    tenantId,
    notificationId: z.string().min(1),
    customerId: z.string().min(1),
    workOrderId: z.string().min(1).optional(),
  })
  .strict();

export const schedulePayload = z.discriminatedUnion('kind', [
  messageReleasePayload,
  invoiceOverduePayload,
  invoicePaidPayload,
  agreementBillingPayload,
  agreementVisitPayload,
  appointmentReminderPayload,
  followUpReminderPayload,
]);

export type InvoiceOverduePayload = z.infer<typeof invoiceOverduePayload>;
export type InvoicePaidPayload = z.infer<typeof invoicePaidPayload>;
export type AgreementBillingPayload = z.infer<typeof agreementBillingPayload>;
export type AgreementVisitPayload = z.infer<typeof agreementVisitPayload>;
export type AppointmentReminderPayload = z.infer<typeof appointmentReminderPayload>;
export type FollowUpReminderPayload = z.infer<typeof followUpReminderPayload>;
export type MessageReleasePayload = z.infer<typeof messageReleasePayload>;
export type SchedulePayload = z.infer<typeof schedulePayload>;
