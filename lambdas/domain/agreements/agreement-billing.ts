import type { AgreementStore } from '../../ports/agreement-store.ts';
import type { BlobStore } from '../../ports/blob-store.ts';
import type { Payments } from '../../ports/payments.ts';
import type { DirectoryStore } from '../../ports/work-order-store.ts';
import type { AgreementBillingPayload } from '../../schemas/schedule-payloads.ts';
import type { LinkDependencies } from '../customer-pages/links.ts';
import type { Tenant } from '../customers/customer.ts';
import { formatMoney } from '../execution/work-summary.ts';
import type { Invoice } from '../invoicing/invoice.ts';
import { channelsFor } from '../notifications/contact-channels.ts';
import { type CustomerMessengerDependencies, messageCustomer } from '../notifications/customer-messenger.ts';
import { invoicePdfContentType, invoicePdfKey } from '../payments/invoice-pdf-file.ts';
import { invoicePayLink } from '../payments/send-invoice.ts';
import { scheduleOverdueReminder } from '../receivables/overdue-reminders.ts';
import { addLocalDays } from '../scheduling/local-time.ts';
import type { Actor } from '../shared/actor.ts';
import { instantOfWallClock } from '../shared/schedule-time.ts';
import {
  type Agreement,
  afterBilling,
  agreementInvoiceId,
  type BillingPeriod,
  billingPeriod,
  billingTime,
  noBillingDay,
} from './agreement.ts';
import { scheduleBilling } from './manage-agreements.ts';

export interface AgreementBillingDependencies extends CustomerMessengerDependencies {
  agreements: AgreementStore;
  directory: Pick<DirectoryStore, 'getTenant' | 'getCustomer'>;
  /** The customer's invoice page (a signed link), where they pay the period's invoice. */
  customerLinks?: LinkDependencies;
  /** Without the pages, the checkout the message sends the customer to. */
  payments: Pick<Payments, 'createCheckout'>;
  /** The invoice PDF is written to the bucket as a work order's is. */
  blobs: Pick<BlobStore, 'putObject'>;
}

/** An agreement's invoices are written, approved and sent by the agreement itself. */
const agreementActor = (tenantId: string): Actor => ({ tenantId, id: 'agreement', role: 'system' });

/** Days from a period's first day to its invoice's due date. */
export const agreementInvoiceDueDays = 14;

export type BillingOutcome = {
  /** `billed`: the period has its invoice (sent now or before); `not billed`: paused, or nothing to charge. */
  outcome: 'billed' | 'not billed' | 'outside the term' | 'ended' | 'unknown agreement';
  /** The invoices of the periods this run went through, in period order. */
  invoiceIds?: string[];
  /** The period billed next, when this run moved the agreement on to it. */
  nextPeriod?: number;
};

const maxAttempts = 5;
/** Periods one run catches up on before leaving the rest to their schedules. */
const maxPeriodsPerRun = 24;

/**
 * Bills one period of a service agreement (schedule kind `agreement-billing`), exactly once
 * however often the schedule fires, and any later period that has already begun.
 * 1. Does nothing for an agreement that is gone or ended, or a period outside its term.
 * 2. An active agreement with an amount to charge gets the period's invoice, whose id follows
 *    from the agreement and the period (`agreementInvoiceId`), written only if absent. It is
 *    approved as written (the agreement is the approval) and sent like any invoice: its PDF
 *    written, then the message with the link to pay it online by the customer's channels, then
 *    its overdue check arranged, then marked sent; a retry finds it approved and sends it, one
 *    found sent is left alone. A paused agreement's period passes unbilled.
 * 3. The run that finds the agreement still waiting on this period moves it on to the next
 *    (a conditional write on its version), arranging that period's schedule first; a repeated
 *    run finds it moved on and arranges nothing.
 * 4. When the next period has begun already (a late first run, an agreement entered after its
 *    term began, an outage), it is billed in the same run; its schedule, due a minute later,
 *    then finds it billed. So a missed period never waits on a chain of one-minute schedules.
 */
export async function billAgreementPeriod(
  deps: AgreementBillingDependencies,
  payload: AgreementBillingPayload,
): Promise<BillingOutcome> {
  const { tenantId, agreementId } = payload;
  const tenant = await deps.directory.getTenant(tenantId);
  const invoiceIds: string[] = [];
  let period = payload.period;
  let nextPeriod: number | undefined;
  for (let run = 0; run < maxPeriodsPerRun; run += 1) {
    const agreement = await deps.agreements.get(tenantId, agreementId);
    const billing = agreement && agreement.status !== 'ended' ? billingPeriod(agreement, period) : undefined;
    if (!agreement || !tenant || !billing) {
      if (run > 0) break;
      if (!agreement || !tenant) return { outcome: 'unknown agreement' };
      return { outcome: agreement.status === 'ended' ? 'ended' : 'outside the term' };
    }
    if (agreement.status === 'active' && agreement.billing.amount > 0) {
      invoiceIds.push(await invoicePeriod(deps, agreement, tenant, billing));
    }
    const moved = await moveOn(deps, agreement, tenant, period);
    if (moved === undefined) break;
    nextPeriod = moved;
    const next = billingPeriod(agreement, moved);
    if (!next || instantOfWallClock(`${next.start}T${billingTime}`, tenant.timeZone) > deps.clock.now())
      break;
    period = moved;
  }
  return {
    outcome: invoiceIds.length > 0 ? 'billed' : 'not billed',
    ...(invoiceIds.length > 0 ? { invoiceIds } : {}),
    ...(nextPeriod !== undefined ? { nextPeriod } : {}),
  };
}

async function invoicePeriod(
  deps: AgreementBillingDependencies,
  agreement: Agreement,
  tenant: Tenant,
  billing: BillingPeriod,
): Promise<string> {
  const { tenantId, agreementId } = agreement;
  const invoiceId = agreementInvoiceId(agreementId, billing);
  const at = deps.clock.now().toISOString();
  let invoice = await deps.agreements.invoice(tenantId, agreementId, invoiceId);
  if (!invoice) {
    const { amount } = agreement.billing;
    const written: Invoice = {
      tenantId,
      // An agreement's invoices live in its own item collection.
      workOrderId: agreementId,
      invoiceId,
      customerId: agreement.customerId,
      status: 'approved',
      currency: agreement.currency,
      lines: [
        {
          kind: 'fee',
          description: `${agreement.name}, ${billing.start} to ${billing.end}`,
          quantity: 1,
          unit: 'period',
          unitPrice: amount,
          amount,
          taxable: false,
        },
      ],
      subtotal: amount,
      tax: 0,
      total: amount,
      amountPaid: 0,
      dueDate: addLocalDays(billing.start, agreementInvoiceDueDays),
      notes: `Service agreement ${agreementId}, period ${billing.period + 1}`,
      approvedBy: 'agreement',
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    invoice = (await deps.agreements.createInvoice(written))
      ? written
      : await deps.agreements.invoice(tenantId, agreementId, invoiceId);
  }
  // Not yet sent: approved, or partly paid already (the office took a deposit before a retry).
  const awaitsSending =
    invoice?.status === 'approved' || (invoice?.status === 'partially_paid' && !invoice.sentAt);
  if (!invoice || !awaitsSending) return invoiceId;

  const customer = await deps.directory.getCustomer(tenantId, agreement.customerId);
  const key = invoicePdfKey(tenantId, invoiceId);
  if (invoice.pdfKey !== key) {
    // The PDF library loads when an invoice is first rendered, not with every function that bills.
    const { renderInvoicePdf } = await import('../payments/invoice-pdf.ts');
    const pdf = await renderInvoicePdf({
      invoice,
      tenantName: tenant.name,
      timeZone: tenant.timeZone,
      ...(customer ? { customer } : {}),
      job: {
        workOrderId: agreementId,
        label: `Service agreement ${agreementId}`,
        description: `${agreement.name}, ${billing.start} to ${billing.end}`,
      },
    });
    await deps.blobs.putObject({ key, body: pdf, contentType: invoicePdfContentType });
    const withPdf: Invoice = { ...invoice, pdfKey: key, version: invoice.version + 1, updatedAt: at };
    if (!(await deps.agreements.updateInvoice(invoice, withPdf))) {
      throw new Error(`Invoice ${invoiceId} changed while being sent; retry`);
    }
    invoice = withPdf;
  }
  if (customer && channelsFor(customer).length > 0) {
    const { link } = await invoicePayLink(deps, invoice, customer, agreementActor(tenantId));
    await messageCustomer(deps, {
      tenant,
      customer,
      purpose: 'invoice',
      values: {
        invoiceNumber: invoiceId,
        invoiceTotal: formatMoney(invoice.total - invoice.amountPaid, invoice.currency),
        dueDate: invoice.dueDate,
        details: `${agreement.name}, ${billing.start} to ${billing.end}`,
        link,
      },
      dedupeKey: `invoice-${invoiceId}`,
    });
  }
  const sent: Invoice = {
    ...invoice,
    status: invoice.status === 'approved' ? 'sent' : invoice.status,
    sentAt: at,
    version: invoice.version + 1,
    updatedAt: at,
  };
  await scheduleOverdueReminder(deps, sent, tenant);
  if (!(await deps.agreements.updateInvoice(invoice, sent))) {
    throw new Error(`Invoice ${invoiceId} changed while being sent; retry`);
  }
  return invoiceId;
}

async function moveOn(
  deps: AgreementBillingDependencies,
  read: Agreement,
  tenant: Tenant,
  period: number,
): Promise<number | undefined> {
  let agreement: Agreement | undefined = read;
  for (let attempt = 1; attempt <= maxAttempts && agreement; attempt += 1) {
    if (agreement.nextBillingPeriod !== period || agreement.status === 'ended') return undefined;
    const next = afterBilling(agreement, period);
    if (next.nextBillingOn !== noBillingDay)
      await scheduleBilling(deps, agreement, period + 1, tenant.timeZone);
    const after: Agreement = {
      ...agreement,
      ...next,
      version: agreement.version + 1,
      updatedAt: deps.clock.now().toISOString(),
    };
    if (await deps.agreements.update(agreement, after)) {
      return next.nextBillingOn === noBillingDay ? undefined : period + 1;
    }
    agreement = await deps.agreements.get(agreement.tenantId, agreement.agreementId);
  }
  if (!agreement) return undefined;
  throw new Error(`Agreement ${read.agreementId} kept changing while its billing moved on; retry`);
}
