import type { Invoice, Payment } from '../../../lambdas/domain/invoicing/invoice.ts';
import type { PaymentPlan } from '../../../lambdas/domain/receivables/payment-plan.ts';
import type {
  InvoiceKey,
  ReceivablesStore,
  ReminderRecord,
} from '../../../lambdas/ports/receivables-store.ts';

const keyOf = ({ tenantId, workOrderId, invoiceId }: InvoiceKey) => `${tenantId}#${workOrderId}#${invoiceId}`;

/**
 * Invoices, reminder records, plans and payments in maps; a check is recorded only on the record
 * and the invoice version read, all or nothing, like the transaction.
 */
export class InMemoryReceivables implements ReceivablesStore {
  readonly invoices = new Map<string, Invoice>();
  readonly reminders = new Map<string, ReminderRecord>();
  readonly plans = new Map<string, PaymentPlan>();
  readonly recordedPayments: Payment[] = [];
  private readonly beforeRecordWrites: (() => void)[] = [];

  putInvoice(invoice: Invoice): this {
    this.invoices.set(keyOf(invoice), structuredClone(invoice));
    return this;
  }

  /** Records a payment as the payment transition does: the payment item and the invoice's new total paid. */
  pay(
    key: InvoiceKey,
    amount: number,
    at: string,
    paymentId = `pay_${this.recordedPayments.length + 1}`,
  ): this {
    const invoice = this.invoices.get(keyOf(key));
    if (!invoice) throw new Error(`No invoice ${key.invoiceId}`);
    const amountPaid = invoice.amountPaid + amount;
    this.putInvoice({
      ...invoice,
      amountPaid,
      status: amountPaid >= invoice.total ? 'paid' : 'partially_paid',
      version: invoice.version + 1,
    });
    this.recordedPayments.push({ ...key, paymentId, amount, method: 'card', recordedBy: 'payments', at });
    return this;
  }

  /** Runs `write` just before the next check is recorded, as a concurrent payment would. */
  beforeNextRecord(write: () => void): this {
    this.beforeRecordWrites.push(write);
    return this;
  }

  async invoice(key: InvoiceKey): Promise<Invoice | undefined> {
    const found = this.invoices.get(keyOf(key));
    return found ? structuredClone(found) : undefined;
  }

  async findInvoice(tenantId: string, invoiceId: string): Promise<Invoice | undefined> {
    const found = [...this.invoices.values()].find(
      (invoice) => invoice.tenantId === tenantId && invoice.invoiceId === invoiceId,
    );
    return found ? structuredClone(found) : undefined;
  }

  async payments(key: InvoiceKey): Promise<Payment[]> {
    return this.recordedPayments
      .filter((payment) => keyOf(payment) === keyOf(key))
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async reminderOf(key: InvoiceKey): Promise<ReminderRecord | undefined> {
    const found = this.reminders.get(keyOf(key));
    return found ? structuredClone(found) : undefined;
  }

  async recordCheck(change: {
    before: ReminderRecord | undefined;
    after: ReminderRecord;
    overdue?: { invoice: Invoice; overdueSince: string };
  }): Promise<boolean> {
    this.beforeRecordWrites.shift()?.();
    const current = this.reminders.get(keyOf(change.after));
    if ((current?.checks ?? -1) !== (change.before?.checks ?? -1)) return false;
    if (change.overdue) {
      const invoice = this.invoices.get(keyOf(change.overdue.invoice));
      if (!invoice || invoice.version !== change.overdue.invoice.version) return false;
      this.putInvoice({
        ...invoice,
        overdueSince: change.overdue.overdueSince,
        version: invoice.version + 1,
        updatedAt: change.overdue.overdueSince,
      });
    }
    this.reminders.set(keyOf(change.after), structuredClone(change.after));
    return true;
  }

  async paymentPlan(key: InvoiceKey): Promise<PaymentPlan | undefined> {
    const found = this.plans.get(keyOf(key));
    return found ? structuredClone(found) : undefined;
  }

  async createPaymentPlan(plan: PaymentPlan): Promise<boolean> {
    if (this.plans.has(keyOf(plan))) return false;
    this.plans.set(keyOf(plan), structuredClone(plan));
    return true;
  }
}
