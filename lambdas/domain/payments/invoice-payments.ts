import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { PaymentRecords } from '../../ports/payments.ts';
import { ConflictError, NotFoundError } from '../../shared/errors.ts';
import {
  type AgreementPaymentDependencies,
  recordAgreementPayment,
} from '../agreements/agreement-payments.ts';
import { type Invoice, type Payment, unpaidStatuses } from '../invoicing/invoice.ts';
import type { Actor } from '../shared/actor.ts';
import { type ActionDependencies, performAction } from '../work-orders/perform-action.ts';
import { invoicePdfLinkSeconds } from './invoice-pdf-file.ts';

/** Reads an invoice of the tenant by its id (undefined for an unknown id or another tenant's). */
export type FindInvoice = (tenantId: string, invoiceId: string) => Promise<Invoice | undefined>;

export interface InvoicePayments {
  invoice: Invoice;
  balance: number;
  payments: Payment[];
}

async function invoiceOf(findInvoice: FindInvoice, actor: Actor, invoiceId: string): Promise<Invoice> {
  // Keys are built with the actor's tenant: another tenant's invoice is simply not found.
  const invoice = await findInvoice(actor.tenantId, invoiceId);
  if (!invoice) throw new NotFoundError('Invoice', invoiceId);
  return invoice;
}

/** The invoice's payments, oldest first, with what is paid and what is still owed. */
export async function invoicePayments(
  dependencies: { findInvoice: FindInvoice; paymentRecords: Pick<PaymentRecords, 'paymentsOf'> },
  actor: Actor,
  invoiceId: string,
): Promise<InvoicePayments> {
  const invoice = await invoiceOf(dependencies.findInvoice, actor, invoiceId);
  const payments = (await dependencies.paymentRecords.paymentsOf(actor.tenantId, invoice.workOrderId)).filter(
    (payment) => payment.invoiceId === invoice.invoiceId,
  );
  return { invoice, balance: invoice.total - invoice.amountPaid, payments };
}

/** A time-limited link to the invoice PDF the workflow wrote when it sent the invoice; 409 before. */
export async function invoicePdfLink(
  dependencies: { findInvoice: FindInvoice; blobs: Pick<BlobStore, 'downloadUrl'>; clock: Clock },
  actor: Actor,
  invoiceId: string,
): Promise<{ url: string; expiresAt: string }> {
  const invoice = await invoiceOf(dependencies.findInvoice, actor, invoiceId);
  if (!invoice.pdfKey) {
    throw new ConflictError('The invoice PDF is written when the invoice is sent', {
      currentStatus: invoice.status,
    });
  }
  const url = await dependencies.blobs.downloadUrl(invoice.pdfKey, {
    expiresInSeconds: invoicePdfLinkSeconds,
  });
  const expiresAt = new Date(dependencies.clock.now().getTime() + invoicePdfLinkSeconds * 1000);
  return { url, expiresAt: expiresAt.toISOString() };
}

export interface RecordInvoicePaymentDependencies {
  findInvoice: FindInvoice;
  paymentRecords: Pick<PaymentRecords, 'paymentsOf'>;
  workOrders: ActionDependencies;
  agreements: AgreementPaymentDependencies;
}

/**
 * Records a payment the office took (cash, check, card on the phone, bank transfer) against an
 * invoice by its id, wherever it lives: a work order's invoice through the work order's
 * `recordPayment` transition (so a payment in full closes its workflow), an agreement period's
 * through the agreement's ledger. 404 for an unknown invoice, 409 for one that owes nothing
 * (a draft, paid or void), 422 for more than the balance. Answers the payments and the balance.
 */
export async function recordInvoicePayment(
  dependencies: RecordInvoicePaymentDependencies,
  actor: Actor,
  invoiceId: string,
  input: { amount: number; method: Payment['method']; reference?: string },
): Promise<InvoicePayments> {
  const invoice = await invoiceOf(dependencies.findInvoice, actor, invoiceId);
  if (!unpaidStatuses.includes(invoice.status)) {
    throw new ConflictError(`Invoice ${invoiceId} is ${invoice.status}: it takes no payment`, {
      currentStatus: invoice.status,
    });
  }
  if (invoice.workOrderId.startsWith('agr_')) {
    await recordAgreementPayment(dependencies.agreements, actor, {
      agreementId: invoice.workOrderId,
      invoiceId,
      ...input,
    });
  } else {
    await performAction(dependencies.workOrders, actor, invoice.workOrderId, {
      action: 'recordPayment',
      ...input,
    });
  }
  return invoicePayments(dependencies, actor, invoiceId);
}
