import type { Agreement, AgreementStatus } from '../../domain/agreements/agreement.ts';
import type { Invoice, Payment } from '../../domain/invoicing/invoice.ts';
import type { AgreementStore } from '../../ports/agreement-store.ts';
import type { Page } from '../../ports/work-order-store.ts';
import { writtenIfCondition } from './conditional-check.ts';
import { sameAs } from './conditions.ts';
import type { Entities } from './entities.ts';
import { pagedQuery } from './paging.ts';

const hasStatus = (status: AgreementStatus) => sameAs('status', status);
const atVersion = (version: number) => sameAs('version', version);

/**
 * Service agreements in the single table: each in its own item collection with the included
 * visits it has counted; listed by customer (`byCustomer`), by status and next billing day
 * (`byStatus`) or by tenant (`byTenant`), one Query each. The invoices of its billing periods
 * are invoice items in the agreement's own partition (their `workOrderId` is the agreement's id).
 */
export class DynamoAgreementStore implements AgreementStore {
  constructor(private readonly entities: Entities) {}

  async get(tenantId: string, agreementId: string): Promise<Agreement | undefined> {
    const { data } = await this.entities.agreement.get({ tenantId, agreementId }).go({ consistent: true });
    return (data as Agreement | null) ?? undefined;
  }

  async create(agreement: Agreement): Promise<void> {
    await this.entities.agreement.create(agreement).go();
  }

  async update(before: Agreement, after: Agreement): Promise<boolean> {
    return writtenIfCondition(() =>
      this.entities.agreement
        .put(after)
        .where(atVersion(before.version) as never)
        .go(),
    );
  }

  async list(
    tenantId: string,
    filter: { customerId?: string; status?: AgreementStatus },
    page: { limit: number; cursor?: string },
  ): Promise<Page<Agreement>> {
    const { agreement } = this.entities;
    if (filter.customerId !== undefined) {
      const query = agreement.query.byCustomer({ tenantId, customerId: filter.customerId });
      const { status } = filter;
      return pagedQuery(page, (options) =>
        (status !== undefined ? query.where(hasStatus(status) as never) : query).go(options),
      ) as Promise<Page<Agreement>>;
    }
    if (filter.status !== undefined) {
      const status = filter.status;
      return pagedQuery(page, (options) =>
        agreement.query.byStatus({ tenantId, status }).go(options),
      ) as Promise<Page<Agreement>>;
    }
    return pagedQuery(page, (options) =>
      agreement.query.byTenant({ tenantId }).go({ ...options, order: 'desc' }),
    ) as Promise<Page<Agreement>>;
  }

  async invoicesOf(tenantId: string, agreementId: string): Promise<Invoice[]> {
    const { data } = await this.entities.invoice.query
      .byWorkOrder({ tenantId, workOrderId: agreementId })
      .go({ pages: 'all' });
    // The ids' time is the period's first day: id order is period order.
    return (data as Invoice[]).sort((a, b) => a.invoiceId.localeCompare(b.invoiceId));
  }

  async invoice(tenantId: string, agreementId: string, invoiceId: string): Promise<Invoice | undefined> {
    const { data } = await this.entities.invoice
      .get({ tenantId, workOrderId: agreementId, invoiceId })
      .go({ consistent: true });
    return (data as Invoice | null) ?? undefined;
  }

  async createInvoice(invoice: Invoice): Promise<boolean> {
    return writtenIfCondition(() => this.entities.invoice.create(invoice).go());
  }

  async updateInvoice(before: Invoice, after: Invoice): Promise<boolean> {
    return writtenIfCondition(() =>
      this.entities.invoice
        .put(after)
        .where(atVersion(before.version) as never)
        .go(),
    );
  }

  async recordPayment(before: Invoice, after: Invoice, payment: Payment): Promise<boolean> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.invoice
          .put(after)
          .where(atVersion(before.version) as never)
          .commit(),
        entity.payment.create(payment).commit(),
      ])
      .go();
    return !result.canceled;
  }
}
