import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { PaymentRecords } from '../../ports/payments.ts';
import { ConflictError, NotFoundError } from '../../shared/errors.ts';
import type { Invoice, Payment } from '../invoicing/invoice.ts';
import type { Actor } from '../shared/actor.ts';
import { invoicePdfLinkSeconds } from './invoice-pdf.ts';

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
