import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Notifier, OutgoingMessage } from '../../ports/notifier.ts';
import type { Payments } from '../../ports/payments.ts';
import type { Scheduler } from '../../ports/scheduler.ts';
import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Customer, Tenant } from '../customers/customer.ts';
import { formatAddress } from '../dispatch/dispatch-package.ts';
import { formatMoney } from '../execution/work-summary.ts';
import type { Invoice } from '../invoicing/invoice.ts';
import { scheduleOverdueReminder } from '../receivables/overdue-reminders.ts';
import type { Actor } from '../shared/actor.ts';
import { auditEvent, type WorkOrder } from '../work-orders/work-order.ts';
import { WorkflowStepError } from '../work-orders/workflow-errors.ts';
import { invoicePdfContentType, invoicePdfKey, renderInvoicePdf } from './invoice-pdf.ts';

export interface SendInvoiceDependencies {
  workOrders: Pick<WorkOrderStore, 'getInvoice' | 'updateInvoice' | 'appendEvent'>;
  directory: Pick<DirectoryStore, 'getCustomer' | 'getLocation'>;
  notifier: Notifier;
  payments: Pick<Payments, 'createCheckout'>;
  blobs: Pick<BlobStore, 'putObject'>;
  clock: Clock;
  ids: IdGenerator;
  /** The invoice's overdue check is arranged when it is sent. */
  scheduler: Scheduler;
}

type Channel = OutgoingMessage['channel'];

/**
 * The channels the customer is told by: the preferred one when it can reach them, otherwise
 * every channel on file (SMS and email).
 */
export function channelsFor(customer: Customer | undefined): Channel[] {
  if (!customer) return [];
  const onFile: Channel[] = [
    ...(customer.phone ? ['sms' as const] : []),
    ...(customer.email ? ['email' as const] : []),
  ];
  const preferred = customer.contactPreferences?.channel;
  return preferred && onFile.includes(preferred) ? [preferred] : onFile;
}

/** An invoice the customer has not been sent yet and still owes (a deposit may be paid already). */
const awaitsSending = (invoice: Invoice) =>
  invoice.status === 'approved' || (invoice.status === 'partially_paid' && !invoice.sentAt);

/**
 * Sends the approved invoice to the customer (the `SendInvoice` step). Safe to run again:
 * 1. Writes the invoice PDF (lines, totals, tax, due date) to the bucket and records its key on
 *    the invoice, unless the key is recorded already.
 * 2. Asks the payments port for the page where the customer pays the balance.
 * 3. Sends the invoice with that link by the customer's preferred channel (else every one on
 *    file), each message with its audit event. Messages go out at least once: a retry after a
 *    failure between sending and step 4 sends them again.
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
  const checkout = await dependencies.payments.createCheckout(invoice, customer);
  const balance = formatMoney(invoice.total - invoice.amountPaid, invoice.currency);
  const greeting = `Hi ${customer?.name.split(/\s+/)[0] ?? 'there'}`;
  for (const channel of channels) {
    const to = channel === 'sms' ? customer?.phone : customer?.email;
    if (!to) continue;
    const { messageId } = await dependencies.notifier.send({
      tenantId,
      workOrderId,
      channel,
      to,
      subject: `Invoice ${invoice.invoiceId} from ${tenant.name}`,
      body:
        channel === 'sms'
          ? `${greeting}, your invoice ${invoice.invoiceId} from ${tenant.name} is ${balance}, due ${invoice.dueDate}. Pay online: ${checkout.url}`
          : emailBody(invoice, tenant, greeting, balance, checkout.url),
    });
    await record(dependencies, workOrder, actor, 'customer_invoice_sent', {
      channel,
      messageId,
      invoiceId: invoice.invoiceId,
      checkout: checkout.reference,
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
    checkout: checkout.reference,
    pdfKey: key,
  };
}

function emailBody(invoice: Invoice, tenant: Tenant, greeting: string, balance: string, payUrl: string) {
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  return [
    `${greeting},`,
    '',
    `here is your invoice ${invoice.invoiceId} from ${tenant.name}.`,
    '',
    ...invoice.lines.map((line) => `  ${line.description}: ${money(line.amount)}`),
    `  Subtotal: ${money(invoice.subtotal)}`,
    `  Tax: ${money(invoice.tax)}`,
    `  Total: ${money(invoice.total)}`,
    ...(invoice.amountPaid > 0 ? [`  Paid: ${money(invoice.amountPaid)}`] : []),
    '',
    `Balance due ${invoice.dueDate}: ${balance}`,
    `Pay online: ${payUrl}`,
    '',
    `Thank you for choosing ${tenant.name}.`,
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
