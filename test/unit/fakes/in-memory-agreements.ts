import type { Agreement, AgreementStatus } from '../../../lambdas/domain/agreements/agreement.ts';
import type { Invoice, Payment } from '../../../lambdas/domain/invoicing/invoice.ts';
import type { AgreementStore } from '../../../lambdas/ports/agreement-store.ts';
import type { Page } from '../../../lambdas/ports/work-order-store.ts';

/**
 * Agreements and their period invoices in maps keyed as the table keys them; updates apply only
 * at the version read and invoices are created only when absent, like the conditional writes.
 */
export class InMemoryAgreements implements AgreementStore {
  readonly agreements = new Map<string, Agreement>();
  readonly invoices = new Map<string, Invoice>();
  readonly payments: Payment[] = [];
  private readonly beforeUpdateWrites: (() => void)[] = [];

  /** Runs `write` just before the next agreement update is applied, as a concurrent request would. */
  beforeNextUpdate(write: () => void): this {
    this.beforeUpdateWrites.push(write);
    return this;
  }

  put(agreement: Agreement): this {
    this.agreements.set(`${agreement.tenantId}#${agreement.agreementId}`, structuredClone(agreement));
    return this;
  }

  async get(tenantId: string, agreementId: string): Promise<Agreement | undefined> {
    const found = this.agreements.get(`${tenantId}#${agreementId}`);
    return found ? structuredClone(found) : undefined;
  }

  async create(agreement: Agreement): Promise<void> {
    this.put(agreement);
  }

  async update(before: Agreement, after: Agreement): Promise<boolean> {
    this.beforeUpdateWrites.shift()?.();
    const current = this.agreements.get(`${before.tenantId}#${before.agreementId}`);
    if (!current || current.version !== before.version) return false;
    this.put(after);
    return true;
  }

  async list(
    tenantId: string,
    filter: { customerId?: string; status?: AgreementStatus },
    page: { limit: number },
  ): Promise<Page<Agreement>> {
    const items = [...this.agreements.values()]
      .filter((agreement) => agreement.tenantId === tenantId)
      .filter((agreement) => filter.customerId === undefined || agreement.customerId === filter.customerId)
      .filter((agreement) => filter.status === undefined || agreement.status === filter.status);
    return { items: items.slice(0, page.limit) };
  }

  async invoicesOf(tenantId: string, agreementId: string): Promise<Invoice[]> {
    return [...this.invoices.values()]
      .filter((invoice) => invoice.tenantId === tenantId && invoice.workOrderId === agreementId)
      .sort((a, b) => a.invoiceId.localeCompare(b.invoiceId));
  }

  async invoice(tenantId: string, agreementId: string, invoiceId: string): Promise<Invoice | undefined> {
    const found = this.invoices.get(`${tenantId}#${agreementId}#${invoiceId}`);
    return found ? structuredClone(found) : undefined;
  }

  async createInvoice(invoice: Invoice): Promise<boolean> {
    const key = `${invoice.tenantId}#${invoice.workOrderId}#${invoice.invoiceId}`;
    if (this.invoices.has(key)) return false;
    this.invoices.set(key, structuredClone(invoice));
    return true;
  }

  async updateInvoice(before: Invoice, after: Invoice): Promise<boolean> {
    const key = `${before.tenantId}#${before.workOrderId}#${before.invoiceId}`;
    if (this.invoices.get(key)?.version !== before.version) return false;
    this.invoices.set(key, structuredClone(after));
    return true;
  }

  async recordPayment(before: Invoice, after: Invoice, payment: Payment): Promise<boolean> {
    if (!(await this.updateInvoice(before, after))) return false;
    this.payments.push(structuredClone(payment));
    return true;
  }
}
