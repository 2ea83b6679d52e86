import {
  type Invoice,
  type InvoiceStatus,
  workOrderIdOf,
} from '../../../lambdas/domain/invoicing/invoice.ts';
import type { AuditEvent } from '../../../lambdas/domain/work-orders/work-order.ts';
import type { InvoiceStore } from '../../../lambdas/ports/invoice-store.ts';
import type { Page } from '../../../lambdas/ports/work-order-store.ts';
import type { InMemoryWorkOrderStore } from './in-memory-work-order-store.ts';

/**
 * The invoices of the in-memory work-order store as the office reads them: found by id in the
 * work order their id names or, for a replacement, in any of the tenant's work orders; listed by
 * status and due date. The cursor is the index of the next invoice.
 */
export class InMemoryInvoiceStore implements InvoiceStore {
  constructor(private readonly workOrders: InMemoryWorkOrderStore) {}

  private invoicesOf(tenantId: string): Invoice[] {
    return this.workOrders
      .all()
      .filter((workOrder) => workOrder.tenantId === tenantId)
      .flatMap((workOrder) => this.workOrders.invoicesOf(tenantId, workOrder.workOrderId));
  }

  async find(tenantId: string, invoiceId: string): Promise<Invoice | undefined> {
    return (
      (await this.workOrders.getInvoice(tenantId, workOrderIdOf(invoiceId), invoiceId)) ??
      this.invoicesOf(tenantId).find((invoice) => invoice.invoiceId === invoiceId)
    );
  }

  async list(
    tenantId: string,
    filter: { status: InvoiceStatus; dueBefore?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<Invoice>> {
    const matching = this.invoicesOf(tenantId)
      .filter((invoice) => invoice.status === filter.status)
      .filter((invoice) => filter.dueBefore === undefined || invoice.dueDate < filter.dueBefore)
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoiceId.localeCompare(b.invoiceId));
    const start = Number(page.cursor ?? 0);
    const items = matching.slice(start, start + page.limit);
    const next = start + page.limit;
    return { items, ...(next < matching.length ? { nextCursor: String(next) } : {}) };
  }

  async update(invoice: Invoice, expectedVersion: number, event: AuditEvent): Promise<boolean> {
    if (!(await this.workOrders.updateInvoice(invoice, expectedVersion))) return false;
    await this.workOrders.appendEvent(event);
    return true;
  }
}
