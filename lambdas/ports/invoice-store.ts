import type { Invoice, InvoiceStatus } from '../domain/invoicing/invoice.ts';
import type { AuditEvent } from '../domain/work-orders/work-order.ts';
import type { Page } from './work-order-store.ts';

/** Invoices as the office reads and edits them; each lives in its work order's item collection. */
export interface InvoiceStore {
  /**
   * The invoice with this id in the tenant: a first invoice is read by key from the work order
   * its id names; a replacement is found on the invoice-id index, then read by key.
   */
  find(tenantId: string, invoiceId: string): Promise<Invoice | undefined>;
  /** The tenant's invoices of one status, soonest due first; only those due before `dueBefore` if given. */
  list(
    tenantId: string,
    filter: { status: InvoiceStatus; dueBefore?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<Invoice>>;
  /** Replaces the invoice if it is still at `expectedVersion`, with its audit event; false if it moved on. */
  update(invoice: Invoice, expectedVersion: number, event: AuditEvent): Promise<boolean>;
}
