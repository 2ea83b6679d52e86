import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Checkout, PaymentRecords, Payments } from '../../ports/payments.ts';
import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import { ConflictError } from '../../shared/errors.ts';
import { type Invoice, type Payment, unpaidStatuses } from '../invoicing/invoice.ts';
import { firstNameOf } from '../notifications/message-templates.ts';
import { type FindInvoice, invoicePayments, invoicePdfLink } from '../payments/invoice-payments.ts';
import type { Actor } from '../shared/actor.ts';
import { auditEvent } from '../work-orders/work-order.ts';

export interface InvoicePageDependencies {
  findInvoice: FindInvoice;
  paymentRecords: Pick<PaymentRecords, 'paymentsOf'>;
  directory: Pick<DirectoryStore, 'getTenant' | 'getCustomer'>;
  workOrders: Pick<WorkOrderStore, 'get' | 'appendEvent'>;
  payments: Pick<Payments, 'createCheckout'>;
  blobs: Pick<BlobStore, 'downloadUrl'>;
  clock: Clock;
  ids: IdGenerator;
}

/** What the customer's invoice page shows: the invoice, what is paid and what is owed. */
export type InvoicePage =
  | {
      state: 'open' | 'paid';
      invoice: Invoice;
      balance: number;
      payments: Payment[];
      tenantName: string;
      timeZone: string;
      customerFirstName?: string;
      hasPdf: boolean;
    }
  /** Voided (and replaced, or called off) since the link was sent: nothing of it is shown. */
  | { state: 'withdrawn'; tenantName: string };

/** The invoice of the customer's link, with its payments and balance. */
export async function readInvoicePage(
  dependencies: InvoicePageDependencies,
  actor: Actor,
  invoiceId: string,
): Promise<InvoicePage> {
  const { invoice, balance, payments } = await invoicePayments(dependencies, actor, invoiceId);
  const [tenant, customer] = await Promise.all([
    dependencies.directory.getTenant(actor.tenantId),
    dependencies.directory.getCustomer(actor.tenantId, invoice.customerId),
  ]);
  const tenantName = tenant?.name ?? '';
  if (invoice.status === 'void' || invoice.status === 'draft') return { state: 'withdrawn', tenantName };
  const customerFirstName = firstNameOf(customer?.name);
  return {
    state: invoice.status === 'paid' ? 'paid' : 'open',
    invoice,
    balance,
    payments,
    tenantName,
    timeZone: tenant?.timeZone ?? 'UTC',
    ...(customerFirstName ? { customerFirstName } : {}),
    hasPdf: invoice.pdfKey !== undefined,
  };
}

/**
 * Starts paying the invoice online: a checkout of the balance asked of the payments port at the
 * moment the customer presses pay (so it never expires in their inbox), which sends them back to
 * `returnUrl` once paid. Audited on the work order. 409 when nothing is owed.
 */
export async function startInvoiceCheckout(
  dependencies: InvoicePageDependencies,
  actor: Actor,
  invoiceId: string,
  returnUrl: string,
): Promise<Checkout> {
  const { invoice, balance } = await invoicePayments(dependencies, actor, invoiceId);
  if (!unpaidStatuses.includes(invoice.status) || balance <= 0) {
    throw new ConflictError(`Invoice ${invoiceId} is ${invoice.status}: nothing to pay`, {
      currentStatus: invoice.status,
    });
  }
  const customer = await dependencies.directory.getCustomer(actor.tenantId, invoice.customerId);
  const checkout = await dependencies.payments.createCheckout(invoice, customer, { returnUrl });
  const workOrder = invoice.workOrderId.startsWith('wo_')
    ? await dependencies.workOrders.get(actor.tenantId, invoice.workOrderId)
    : undefined;
  if (workOrder) {
    const event = auditEvent({
      eventId: dependencies.ids.next('evt'),
      action: 'customer_checkout_started',
      actor,
      at: dependencies.clock.now().toISOString(),
      before: workOrder,
      after: workOrder,
    });
    event.changes.details = { after: { invoiceId, amount: balance, checkout: checkout.reference } };
    await dependencies.workOrders.appendEvent(event);
  }
  return checkout;
}

/** A short-lived link to the invoice PDF (written when the invoice was sent); 409 before. */
export const invoicePdfUrl = (dependencies: InvoicePageDependencies, actor: Actor, invoiceId: string) =>
  invoicePdfLink(dependencies, actor, invoiceId);
