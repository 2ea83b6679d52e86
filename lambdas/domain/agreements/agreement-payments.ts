import type { AgreementStore } from '../../ports/agreement-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { ReceivablesStore } from '../../ports/receivables-store.ts';
import type { Scheduler } from '../../ports/scheduler.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../shared/errors.ts';
import { type Invoice, type Payment, unpaidStatuses } from '../invoicing/invoice.ts';
import { cancelOverdueReminders } from '../receivables/overdue-reminders.ts';
import type { Actor } from '../shared/actor.ts';

export interface AgreementPaymentDependencies {
  agreements: Pick<AgreementStore, 'invoice' | 'recordPayment'>;
  receivables: ReceivablesStore;
  scheduler: Scheduler;
  clock: Clock;
  ids: IdGenerator;
}

export interface AgreementPaymentInput {
  agreementId: string;
  invoiceId: string;
  amount: number;
  method: Payment['method'];
  reference?: string;
}

const maxAttempts = 5;

/**
 * Records a payment of an agreement's period invoice, as a payment of a work order's invoice is:
 * 1. 404 for an invoice the tenant does not have; 409 for one that owes nothing (paid, void,
 *    or a draft); 422 naming `body.amount` for more than the balance.
 * 2. Writes the payment and the invoice's new amount paid and status (`partially_paid`, or
 *    `paid` at a zero balance) in one transaction on the invoice's version, reading it again
 *    when another payment landed meanwhile.
 * 3. Once paid in full, deletes the invoice's pending overdue check.
 */
export async function recordAgreementPayment(
  deps: AgreementPaymentDependencies,
  actor: Actor,
  input: AgreementPaymentInput,
): Promise<{ invoice: Invoice; payment: Payment }> {
  const { tenantId } = actor;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const invoice = await deps.agreements.invoice(tenantId, input.agreementId, input.invoiceId);
    if (!invoice) throw new NotFoundError('Invoice', input.invoiceId);
    if (!unpaidStatuses.includes(invoice.status)) {
      throw new ConflictError(`Invoice ${invoice.invoiceId} is ${invoice.status}: it takes no payment`, {
        currentStatus: invoice.status,
      });
    }
    const balance = invoice.total - invoice.amountPaid;
    if (input.amount > balance) {
      throw new UnprocessableError(`The payment exceeds the balance of ${balance}`, {
        errors: [{ field: 'body.amount', message: `at most the balance, ${balance}` }],
      });
    }
    const at = deps.clock.now().toISOString();
    const payment: Payment = {
      tenantId,
      workOrderId: invoice.workOrderId,
      paymentId: deps.ids.next('pay'),
      invoiceId: invoice.invoiceId,
      amount: input.amount,
      method: input.method,
      ...(input.reference ? { reference: input.reference } : {}),
      recordedBy: actor.id,
      at,
    };
    const paidInFull = input.amount === balance;
    const after: Invoice = {
      ...invoice,
      amountPaid: invoice.amountPaid + input.amount,
      status: paidInFull ? 'paid' : 'partially_paid',
      version: invoice.version + 1,
      updatedAt: at,
    };
    if (await deps.agreements.recordPayment(invoice, after, payment)) {
      if (paidInFull) {
        await cancelOverdueReminders(deps, {
          tenantId,
          workOrderId: invoice.workOrderId,
          invoiceId: invoice.invoiceId,
        });
      }
      return { invoice: after, payment };
    }
  }
  throw new ConflictError(`Invoice ${input.invoiceId} kept changing; retry`, {});
}
