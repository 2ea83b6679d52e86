import type { Agreement, AgreementStatus } from '../domain/agreements/agreement.ts';
import type { Invoice, Payment } from '../domain/invoicing/invoice.ts';
import type { Page } from './work-order-store.ts';

/** Service agreements, and the invoices of their billing periods (in the agreement's item collection). */
export interface AgreementStore {
  get(tenantId: string, agreementId: string): Promise<Agreement | undefined>;
  create(agreement: Agreement): Promise<void>;
  /** Replaces the agreement if it is still at the version of `before`; false if it moved on. */
  update(before: Agreement, after: Agreement): Promise<boolean>;
  /** A customer's agreements (one Query), or the tenant's of one status by next billing day, or all. */
  list(
    tenantId: string,
    filter: { customerId?: string; status?: AgreementStatus },
    page: { limit: number; cursor?: string },
  ): Promise<Page<Agreement>>;
  /** The invoices of the agreement's billing periods, oldest first. */
  invoicesOf(tenantId: string, agreementId: string): Promise<Invoice[]>;
  invoice(tenantId: string, agreementId: string, invoiceId: string): Promise<Invoice | undefined>;
  /** Writes the period's invoice unless it exists; false if it does. */
  createInvoice(invoice: Invoice): Promise<boolean>;
  /** Replaces the invoice if it is still at the version of `before`; false if it moved on. */
  updateInvoice(before: Invoice, after: Invoice): Promise<boolean>;
  /**
   * Writes the payment and the invoice it changes in one transaction, if the invoice is still at
   * the version of `before`; false if it moved on (nothing written).
   */
  recordPayment(before: Invoice, after: Invoice, payment: Payment): Promise<boolean>;
}
