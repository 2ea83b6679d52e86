import { type Invoice, type InvoiceStatus, workOrderIdOf } from '../../domain/invoicing/invoice.ts';
import type { AuditEvent } from '../../domain/work-orders/work-order.ts';
import type { InvoiceStore } from '../../ports/invoice-store.ts';
import type { Page } from '../../ports/work-order-store.ts';
import { sameAs } from './conditions.ts';
import type { Entities } from './entities.ts';
import { pagedQuery } from './paging.ts';

const atVersion = (version: number) => sameAs('version', version);

/**
 * Invoices in their work orders' item collections. A first invoice is read by key from the work
 * order its id names; a replacement (whose id names no work order) is found on the invoice-id
 * index (`gsi3`) and then read by key, consistently. The status index (`gsi2`, tenant and
 * status, by due day) lists them.
 */
export class DynamoInvoiceStore implements InvoiceStore {
  constructor(private readonly entities: Entities) {}

  private async read(tenantId: string, workOrderId: string, invoiceId: string) {
    const { data } = await this.entities.invoice
      .get({ tenantId, workOrderId, invoiceId })
      .go({ consistent: true });
    return (data as Invoice | null) ?? undefined;
  }

  async find(tenantId: string, invoiceId: string): Promise<Invoice | undefined> {
    const first = await this.read(tenantId, workOrderIdOf(invoiceId), invoiceId);
    if (first) return first;
    const { data } = await this.entities.invoice.query
      .byInvoiceId({ tenantId, invoiceId })
      .go({ attributes: ['workOrderId'], limit: 1 });
    const workOrderId = data[0]?.workOrderId;
    return workOrderId ? this.read(tenantId, workOrderId, invoiceId) : undefined;
  }

  async list(
    tenantId: string,
    filter: { status: InvoiceStatus; dueBefore?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<Invoice>> {
    const { status, dueBefore } = filter;
    const result = await pagedQuery(page, (options) => {
      const query = this.entities.invoice.query.byStatus({ tenantId, status });
      return (dueBefore ? query.lt({ dueDate: dueBefore }) : query).go({ ...options, order: 'asc' });
    });
    return result as Page<Invoice>;
  }

  async update(invoice: Invoice, expectedVersion: number, event: AuditEvent): Promise<boolean> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.invoice
          .put(invoice)
          .where(atVersion(expectedVersion) as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return !result.canceled;
  }
}
