import type { Invoice, Payment } from '../../domain/invoicing/invoice.ts';
import type { PaymentPlan } from '../../domain/receivables/payment-plan.ts';
import type { InvoiceKey, ReceivablesStore, ReminderRecord } from '../../ports/receivables-store.ts';
import { writtenIfCondition } from './conditional-check.ts';
import type { Entities } from './entities.ts';
import { DynamoInvoiceStore } from './invoice-store.ts';

type Operations = Record<string, (...args: unknown[]) => string>;
type Condition = (attributes: Record<string, unknown>, operations: Operations) => string;

const equals =
  (attribute: string, value: unknown): Condition =>
  (attributes, { eq }) =>
    (eq as Operations[string])(attributes[attribute], value);

const keyOf = ({ tenantId, workOrderId, invoiceId }: InvoiceKey): InvoiceKey => ({
  tenantId,
  workOrderId,
  invoiceId,
});

/**
 * Invoices, their reminder records, payment plans and payments in the single table. All but
 * the invoice-id lookup are reads of the invoice's own item collection (its work order's, or
 * its agreement's).
 */
export class DynamoReceivablesStore implements ReceivablesStore {
  private readonly invoices: DynamoInvoiceStore;

  constructor(private readonly entities: Entities) {
    this.invoices = new DynamoInvoiceStore(entities);
  }

  async invoice(key: InvoiceKey): Promise<Invoice | undefined> {
    const { data } = await this.entities.invoice.get(keyOf(key)).go({ consistent: true });
    return (data as Invoice | null) ?? undefined;
  }

  findInvoice(tenantId: string, invoiceId: string): Promise<Invoice | undefined> {
    return this.invoices.find(tenantId, invoiceId);
  }

  async payments(key: InvoiceKey): Promise<Payment[]> {
    const { data } = await this.entities.payment.query
      .byWorkOrder({ tenantId: key.tenantId, workOrderId: key.workOrderId })
      .go({ pages: 'all' });
    return (data as Payment[])
      .filter((payment) => payment.invoiceId === key.invoiceId)
      .sort((a, b) => a.at.localeCompare(b.at) || a.paymentId.localeCompare(b.paymentId));
  }

  async reminderOf(key: InvoiceKey): Promise<ReminderRecord | undefined> {
    const { data } = await this.entities.invoiceReminder.get(keyOf(key)).go({ consistent: true });
    return (data as ReminderRecord | null) ?? undefined;
  }

  async recordCheck({
    before,
    after,
    overdue,
  }: {
    before: ReminderRecord | undefined;
    after: ReminderRecord;
    overdue?: { invoice: Invoice; overdueSince: string };
  }): Promise<boolean> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        before
          ? entity.invoiceReminder
              .put(after)
              .where(equals('checks', before.checks) as never)
              .commit()
          : entity.invoiceReminder.create(after).commit(),
        ...(overdue
          ? [
              entity.invoice
                .patch(keyOf(overdue.invoice))
                .set({
                  overdueSince: overdue.overdueSince,
                  version: overdue.invoice.version + 1,
                  updatedAt: overdue.overdueSince,
                })
                .where(equals('version', overdue.invoice.version) as never)
                .commit(),
            ]
          : []),
      ])
      .go();
    return !result.canceled;
  }

  async paymentPlan(key: InvoiceKey): Promise<PaymentPlan | undefined> {
    const { data } = await this.entities.paymentPlan.get(keyOf(key)).go({ consistent: true });
    return (data as PaymentPlan | null) ?? undefined;
  }

  async createPaymentPlan(plan: PaymentPlan): Promise<boolean> {
    return writtenIfCondition(() => this.entities.paymentPlan.create(plan).go());
  }
}
