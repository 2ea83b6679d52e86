/**
 * An invoice's PDF as a file: its type, key and how long its download links last. Apart from
 * the rendering (`invoice-pdf.ts`), so that what only names the file does not load the PDF
 * library.
 */
export const invoicePdfContentType = 'application/pdf';
/** Download links last fifteen minutes, as the completion report's do. */
export const invoicePdfLinkSeconds = 15 * 60;

/** Where an invoice's PDF lives: one per invoice, under its tenant's prefix. */
export const invoicePdfKey = (tenantId: string, invoiceId: string): string =>
  `tenants/${tenantId}/invoices/${invoiceId}.pdf`;
