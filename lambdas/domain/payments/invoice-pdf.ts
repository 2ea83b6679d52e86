import { PDFDocument } from 'pdf-lib';
import type { Address, Customer } from '../customers/customer.ts';
import { formatMoney } from '../execution/work-summary.ts';
import type { Invoice } from '../invoicing/invoice.ts';
import { LocalCalendar } from '../scheduling/local-time.ts';
import { embedReportFonts, muted, ReportWriter } from '../shared/pdf-report-writer.ts';

export { invoicePdfContentType, invoicePdfKey, invoicePdfLinkSeconds } from './invoice-pdf-file.ts';

export interface InvoicePdfInput {
  invoice: Invoice;
  tenantName: string;
  timeZone: string;
  customer?: Pick<Customer, 'name' | 'billingAddress' | 'email' | 'phone'>;
  /** The job the invoice bills: its problem in the customer's words, and where it was done. */
  job: {
    workOrderId: string;
    /** What the invoice bills, as the customer reads it (`Work order wo_…` unless said). */
    label?: string;
    description: string;
    serviceAddress?: string;
    completedAt?: string;
  };
}

const addressLines = (address: Address): string[] => [
  address.line1,
  ...(address.line2 ? [address.line2] : []),
  [address.city, [address.region, address.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', '),
];

/** Quantities as a person writes them: whole numbers bare, fractions to at most three places. */
const quantityText = (quantity: number, unit: string): string => {
  const shown = Number.isInteger(quantity) ? String(quantity) : quantity.toFixed(3).replace(/0+$/, '');
  return unit === 'each' ? shown : `${shown} ${unit}`;
};

const localDay = (at: string, timeZone: string) => new LocalCalendar(timeZone).dayOf(at);

/**
 * Renders the invoice as the customer receives it: who bills whom, the job, every line with
 * its quantity, unit price and amount, the subtotal, tax, total, what is paid and the balance
 * due by the due date. The same invoice renders the same bytes (the document's dates are the
 * invoice's own).
 */
export async function renderInvoicePdf(input: InvoicePdfInput): Promise<Uint8Array> {
  const { invoice, timeZone, customer, job } = input;
  const document = await PDFDocument.create();
  const stamp = new Date(invoice.createdAt);
  document.setTitle(`Invoice ${invoice.invoiceId}`);
  document.setAuthor(input.tenantName);
  document.setCreator('Field Service Work Orders');
  document.setProducer('Field Service Work Orders');
  document.setCreationDate(stamp);
  document.setModificationDate(stamp);
  const writer = new ReportWriter(document, await embedReportFonts(document));
  const money = (amount: number) => formatMoney(amount, invoice.currency);

  writer.text(input.tenantName, { font: 'bold', size: 16 });
  writer.gap(4);
  writer.text(`Invoice ${invoice.invoiceId}`, { font: 'bold', size: 13 });
  writer.text(`Issued ${localDay(invoice.createdAt, timeZone)}    Due ${invoice.dueDate}`);

  writer.heading('Bill to');
  writer.text(customer?.name ?? 'Customer');
  if (customer?.billingAddress) for (const line of addressLines(customer.billingAddress)) writer.text(line);
  else if (job.serviceAddress) writer.text(job.serviceAddress);

  writer.heading('Job');
  writer.text(job.label ?? `Work order ${job.workOrderId}`, { color: muted });
  if (job.serviceAddress) writer.text(`Service address: ${job.serviceAddress}`);
  if (job.completedAt) writer.text(`Completed: ${localDay(job.completedAt, timeZone)}`);
  writer.text(job.description);

  writer.heading('Charges');
  const columns = { description: 0, quantity: 270, unitPrice: 350, amount: 432 };
  writer.row(
    [
      { text: 'Description', x: columns.description, width: 260 },
      { text: 'Qty', x: columns.quantity, width: 70, align: 'right' },
      { text: 'Unit price', x: columns.unitPrice, width: 72, align: 'right' },
      { text: 'Amount', x: columns.amount, width: 80, align: 'right' },
    ],
    { font: 'bold' },
  );
  if (invoice.lines.length === 0) writer.text('None', { color: muted });
  for (const line of invoice.lines) {
    writer.row([
      { text: `${line.description}${line.taxable ? ' (T)' : ''}`, x: columns.description, width: 260 },
      { text: quantityText(line.quantity, line.unit), x: columns.quantity, width: 70, align: 'right' },
      { text: money(line.unitPrice), x: columns.unitPrice, width: 72, align: 'right' },
      { text: money(line.amount), x: columns.amount, width: 80, align: 'right' },
    ]);
    if (line.note) writer.text(line.note, { indent: 12, size: 8, color: muted });
  }
  writer.gap(6);
  const total = (label: string, amount: number, font: 'regular' | 'bold' = 'regular') =>
    writer.row(
      [
        { text: label, x: columns.unitPrice - 100, width: 172, align: 'right' },
        { text: money(amount), x: columns.amount, width: 80, align: 'right' },
      ],
      { font },
    );
  total('Subtotal', invoice.subtotal);
  const rate = invoice.taxRatePerMillion;
  total(rate ? `Tax (${(rate / 10_000).toFixed(3).replace(/\.?0+$/, '')} %)` : 'Tax', invoice.tax);
  total('Total', invoice.total, 'bold');
  if (invoice.amountPaid > 0) total('Paid', -invoice.amountPaid);
  total('Balance due', invoice.total - invoice.amountPaid, 'bold');
  if (invoice.lines.some((line) => line.taxable)) {
    writer.gap(4);
    writer.text('(T) taxable', { size: 8, color: muted });
  }

  if (invoice.notes) {
    writer.heading('Notes');
    writer.text(invoice.notes);
  }
  writer.heading('Payment');
  writer.text(
    `Please pay ${money(invoice.total - invoice.amountPaid)} by ${invoice.dueDate}: online with the link in the message this invoice came with, or by cash or check quoting ${invoice.invoiceId}.`,
  );
  return document.save();
}
