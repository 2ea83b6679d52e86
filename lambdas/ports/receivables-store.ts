import type { Invoice, Payment } from '../domain/invoicing/invoice.ts';
import type { PaymentPlan } from '../domain/receivables/payment-plan.ts';

/** An invoice's key: the record whose item collection holds it (its work order, or an agreement), and its id. */
export interface InvoiceKey {
  tenantId: string;
  workOrderId: string;
  invoiceId: string;
}

/** What the reminder job has done about an invoice: checks run, reminders sent. */
export interface ReminderRecord extends InvoiceKey {
  checks: number;
  sent: number;
  lastCheckedAt: string;
  lastSentAt?: string;
}

/** Invoices as collecting the money sees them: overdue checks, payment plans, payments. */
export interface ReceivablesStore {
  /** The invoice by its key, read consistently. */
  invoice(key: InvoiceKey): Promise<Invoice | undefined>;
  /** The invoice with this id in the tenant, wherever it lives (the invoice-id index, then by key). */
  findInvoice(tenantId: string, invoiceId: string): Promise<Invoice | undefined>;
  /** The payments recorded against the invoice, oldest first. */
  payments(key: InvoiceKey): Promise<Payment[]>;
  reminderOf(key: InvoiceKey): Promise<ReminderRecord | undefined>;
  /**
   * Records an overdue check as one transaction, only if the record is still as read (`before`,
   * or none): with `overdueSince`, also marks the invoice overdue if it is still at the version
   * read. False if either changed meanwhile; nothing is written then.
   */
  recordCheck(change: {
    before: ReminderRecord | undefined;
    after: ReminderRecord;
    overdue?: { invoice: Invoice; overdueSince: string };
  }): Promise<boolean>;
  paymentPlan(key: InvoiceKey): Promise<PaymentPlan | undefined>;
  /** Writes the plan unless the invoice has one; false if it has. */
  createPaymentPlan(plan: PaymentPlan): Promise<boolean>;
}
