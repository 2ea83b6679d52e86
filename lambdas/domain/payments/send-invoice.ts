import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { NotificationLog } from '../../ports/notification-log.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { Payments } from '../../ports/payments.ts';
import type { Scheduler } from '../../ports/scheduler.ts';
import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import { issueInvoiceLink, type LinkDependencies } from '../customer-pages/links.ts';
import type { Customer, Tenant } from '../customers/customer.ts';
import { formatAddress } from '../dispatch/dispatch-package.ts';
import { formatMoney } from '../execution/work-summary.ts';
import type { Invoice } from '../invoicing/invoice.ts';
import { channelsFor } from '../notifications/contact-channels.ts';
import { messageCustomer } from '../notifications/customer-messenger.ts';
import { scheduleOverdueReminder } from '../receivables/overdue-reminders.ts';
import type { Actor } from '../shared/actor.ts';
import { auditEvent, type WorkOrder } from '../work-orders/work-order.ts';
import { WorkflowStepError } from '../work-orders/workflow-errors.ts';
import { invoicePdfContentType, invoicePdfKey } from './invoice-pdf-file.ts';

export interface SendInvoiceDependencies {
  workOrders: Pick<WorkOrderStore, 'getInvoice' | 'updateInvoice' | 'appendEvent'>;
  directory: Pick<DirectoryStore, 'getCustomer' | 'getLocation'>;
  notifier: Notifier;
  payments: Pick<Payments, 'createCheckout'>;
  blobs: Pick<BlobStore, 'putObject'>;
  clock: Clock;
  ids: IdGenerator;
  /** The invoice's overdue check is arranged when it is sent; a message held for quiet hours is released by one. */
  scheduler: Scheduler;
  /** The log of customer messages: the invoice's message once per channel, with its delivery status. */
  notifications: NotificationLog;
  reportFailure: (message: string, error: unknown) => void;
  /** Waits between delivery attempts; tests pass one that does not wait. */
  pause?: (milliseconds: number) => Promise<void>;
  /**
   * Signed links to the customer's invoice page, which the message carries: the page makes the
   * checkout when the customer presses pay, so the link never expires with a checkout. Without
   * them, the message carries a checkout made now.
   */
  customerLinks?: LinkDependencies;
}

/** Moved beside the messenger; kept here for the callers that import it from invoicing. */
export { channelsFor } from '../notifications/contact-channels.ts';

/** An invoice the customer has not been sent yet and still owes (a deposit may be paid already). */
const awaitsSending = (invoice: Invoice) =>
  invoice.status === 'approved' || (invoice.status === 'partially_paid' && !invoice.sentAt);

/**
 * Sends the approved invoice to the customer (the `SendInvoice` step). Safe to run again:
 * 1. Writes the invoice PDF (lines, totals, tax, due date) to the bucket and records its key on
 *    the invoice, unless the key is recorded already.
 * 2. Issues the signed link to the customer's invoice page (once per invoice: a retry sends the
 *    same), where they see it, download its PDF and pay (the checkout is made when they press pay).
 * 3. Tells the customer through the messenger (the tenant's `invoice` template, the link, the
 *    balance, the due date, the lines) by their preferred channel, else every one on file, each
 *    message with its audit event. Once per invoice and channel: a retry after a failure between
 *    sending and step 4 finds the messages logged and sends nothing again. A message held for
 *    quiet hours goes out when they end; one that cannot be delivered is logged `failed` and
 *    reported to the office, and the invoice is still issued.
 * 4. Marks the invoice sent (`sent`; a deposit-paid invoice stays `partially_paid`), on the
 *    version it finds, so a payment recorded meanwhile is kept.
 * A customer with neither phone nor email is not told; the invoice stays approved and the
 * audit trail says why.
 */
export async function sendInvoice(
  dependencies: SendInvoiceDependencies,
  workOrder: WorkOrder,
  tenant: Tenant,
  actor: Actor,
): Promise<Record<string, string | number | boolean | undefined>> {
  const { tenantId, workOrderId } = workOrder;
  let invoice = workOrder.invoiceId
    ? await dependencies.workOrders.getInvoice(tenantId, workOrderId, workOrder.invoiceId)
    : undefined;
  if (!invoice) throw new WorkflowStepError('WorkOrder.NotFound', `Work order ${workOrderId} has no invoice`);
  if (!awaitsSending(invoice)) return { sent: false, status: invoice.status };

  const [customer, location] = await Promise.all([
    dependencies.directory.getCustomer(tenantId, workOrder.customerId),
    workOrder.locationId ? dependencies.directory.getLocation(tenantId, workOrder.locationId) : undefined,
  ]);
  const key = invoicePdfKey(tenantId, invoice.invoiceId);
  if (invoice.pdfKey !== key) {
    // The PDF library loads when an invoice is first rendered, not with every function that bills.
    const { renderInvoicePdf } = await import('./invoice-pdf.ts');
    const pdf = await renderInvoicePdf({
      invoice,
      tenantName: tenant.name,
      timeZone: tenant.timeZone,
      ...(customer ? { customer } : {}),
      job: {
        workOrderId,
        description: workOrder.description,
        ...(location ? { serviceAddress: formatAddress(location.address) } : {}),
        ...(workOrder.completedAt ? { completedAt: workOrder.completedAt } : {}),
      },
    });
    await dependencies.blobs.putObject({ key, body: pdf, contentType: invoicePdfContentType });
    invoice = await changeInvoice(dependencies, invoice, (current) => ({ ...current, pdfKey: key }));
  }

  const channels = channelsFor(customer);
  if (channels.length === 0) {
    await record(dependencies, workOrder, actor, 'customer_not_notified', {
      reason: 'no phone or email on file',
      invoiceId: invoice.invoiceId,
    });
    return { sent: false, reason: 'no phone or email on file', invoiceId: invoice.invoiceId, pdfKey: key };
  }
  const { link, reference } = await invoicePayLink(dependencies, invoice, customer, actor);
  const outcomes = customer
    ? await messageCustomer(dependencies, {
        tenant,
        customer,
        purpose: 'invoice',
        workOrderId,
        values: {
          invoiceNumber: invoice.invoiceId,
          invoiceTotal: formatMoney(invoice.total - invoice.amountPaid, invoice.currency),
          dueDate: invoice.dueDate,
          link,
          details: invoiceDetails(invoice),
        },
        dedupeKey: `invoice-${invoice.invoiceId}`,
      })
    : [];
  for (const outcome of outcomes) {
    // A failure is on the timeline already (`customer_message_failed`); a repeat adds nothing.
    if (outcome.status === 'failed' || outcome.status === 'duplicate') continue;
    await record(dependencies, workOrder, actor, `customer_invoice_${outcome.status}`, {
      channel: outcome.channel,
      notificationId: outcome.notificationId,
      ...(outcome.messageId ? { messageId: outcome.messageId } : {}),
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      invoiceId: invoice.invoiceId,
      ...reference,
    });
  }

  await scheduleOverdueReminder(dependencies, invoice, tenant);
  const sentAt = dependencies.clock.now().toISOString();
  await changeInvoice(dependencies, invoice, (current) =>
    current.sentAt
      ? undefined
      : { ...current, status: current.status === 'approved' ? 'sent' : current.status, sentAt },
  );
  return {
    sent: true,
    invoiceId: invoice.invoiceId,
    channels: channels.join(','),
    ...reference,
    pdfKey: key,
  };
}

/** Where a message sends the customer to pay: their invoice page (signed link), else a checkout made now. */
export async function invoicePayLink(
  dependencies: Pick<SendInvoiceDependencies, 'customerLinks' | 'payments'>,
  invoice: Invoice,
  customer: Customer | undefined,
  actor: Actor,
): Promise<{ link: string; reference: { linkId: string } | { checkout: string } }> {
  if (dependencies.customerLinks) {
    const page = await issueInvoiceLink(dependencies.customerLinks, actor, invoice.invoiceId, {
      linkSeed: `invoice-${invoice.invoiceId}`,
    });
    return { link: page.url, reference: { linkId: page.link.linkId } };
  }
  const checkout = await dependencies.payments.createCheckout(invoice, customer);
  return { link: checkout.url, reference: { checkout: checkout.reference } };
}

/** The invoice's lines and totals, as the email lists them (`{details}`). */
function invoiceDetails(invoice: Invoice): string {
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  return [
    ...invoice.lines.map((line) => `  ${line.description}: ${money(line.amount)}`),
    `  Subtotal: ${money(invoice.subtotal)}`,
    `  Tax: ${money(invoice.tax)}`,
    `  Total: ${money(invoice.total)}`,
    ...(invoice.amountPaid > 0 ? [`  Paid: ${money(invoice.amountPaid)}`] : []),
  ].join('\n');
}

/**
 * Writes a change to the invoice on the version it finds, reading it again when a payment or the
 * office changed it meanwhile; `change` answers undefined when nothing is left to do.
 */
async function changeInvoice(
  dependencies: SendInvoiceDependencies,
  invoice: Invoice,
  change: (current: Invoice) => Invoice | undefined,
): Promise<Invoice> {
  let current: Invoice | undefined = invoice;
  for (let attempt = 1; attempt <= 5 && current; attempt += 1) {
    const changed = change(current);
    if (!changed) return current;
    const next: Invoice = {
      ...changed,
      version: current.version + 1,
      updatedAt: dependencies.clock.now().toISOString(),
    };
    if (await dependencies.workOrders.updateInvoice(next, current.version)) return next;
    current = await dependencies.workOrders.getInvoice(
      invoice.tenantId,
      invoice.workOrderId,
      invoice.invoiceId,
    );
  }
  throw new WorkflowStepError(
    'WorkOrder.Transient',
    `Invoice ${invoice.invoiceId} kept changing while being sent`,
  );
}

async function record(
  dependencies: SendInvoiceDependencies,
  workOrder: WorkOrder,
  actor: Actor,
  action: string,
  details: Record<string, unknown>,
) {
  const event = auditEvent({
    eventId: dependencies.ids.next('evt'),
    action,
    actor,
    at: dependencies.clock.now().toISOString(),
    before: workOrder,
    after: workOrder,
  });
  event.changes.details = { after: details };
  await dependencies.workOrders.appendEvent(event);
}
