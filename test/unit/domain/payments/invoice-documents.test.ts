import { extractText, getDocumentProxy } from 'unpdf';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Invoice, Payment } from '../../../../lambdas/domain/invoicing/invoice.ts';
import { invoicePayments, invoicePdfLink } from '../../../../lambdas/domain/payments/invoice-payments.ts';
import { invoicePdfKey, renderInvoicePdf } from '../../../../lambdas/domain/payments/invoice-pdf.ts';
import { ConflictError, NotFoundError } from '../../../../lambdas/shared/errors.ts';
import { aCustomer, aDispatcher, anInvoice } from '../../../fixtures/unit-records.ts';
import { InMemoryBlobStore } from '../../fakes/in-memory-blob-store.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

async function textOf(pdf: Uint8Array): Promise<string> {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  return (await extractText(document, { mergePages: true })).text.replace(/ +/g, ' ');
}

const aPayment = (overrides: Partial<Payment> = {}): Payment => ({
  tenantId: 'ten_acme',
  workOrderId: 'wo_existing',
  paymentId: 'pay_0001',
  invoiceId: 'inv_existing',
  amount: 10_000,
  method: 'check',
  reference: 'Check 1042',
  recordedBy: 'user-dispatcher-1',
  at: '2025-03-15T10:00:00.000Z',
  ...overrides,
});

describe('invoice PDF', () => {
  const input = (invoice: Invoice) => ({
    invoice,
    tenantName: 'Acme Heating & Cooling',
    timeZone: 'America/New_York',
    customer: aCustomer({
      billingAddress: {
        line1: '1 Billing Way',
        city: 'Boston',
        region: 'MA',
        postalCode: '02110',
        country: 'US',
      },
    }),
    job: {
      workOrderId: 'wo_existing',
      description: 'AC blowing warm air',
      serviceAddress: '12 Elm Street, Boston, MA 02118',
      completedAt: '2025-03-14T15:00:00.000Z',
    },
  });

  it('when rendered, it shows who bills whom, the job, every line, the totals with tax, what is paid and the balance by the due date', async () => {
    // Arrange
    const invoice = anInvoice({
      status: 'approved',
      lines: [
        { description: 'Labor: AC repair', quantity: 1.5, unit: 'hour', unitPrice: 14500, amount: 21750 },
        {
          description: 'Run capacitor (CAP-455)',
          quantity: 2,
          unit: 'each',
          unitPrice: 1850,
          amount: 3700,
          taxable: true,
        },
        { description: 'Trip charge', quantity: 1, unit: 'visit', unitPrice: 8900, amount: 8900 },
      ],
      subtotal: 34350,
      taxRatePerMillion: 62_500,
      tax: 231,
      total: 34581,
      amountPaid: 10_000,
    });

    // Act
    const text = await textOf(await renderInvoicePdf(input(invoice)));

    // Assert
    for (const expected of [
      'Acme Heating & Cooling',
      'Invoice inv_existing',
      'Issued 2025-03-14 Due 2025-03-28',
      'Dana Whitfield',
      '1 Billing Way',
      'Service address: 12 Elm Street, Boston, MA 02118',
      'AC blowing warm air',
      'Labor: AC repair',
      '1.5 hour',
      '$145.00',
      '$217.50',
      'Run capacitor (CAP-455) (T)',
      '$37.00',
      'Trip charge',
      'Subtotal',
      '$343.50',
      'Tax (6.25 %)',
      '$2.31',
      'Total',
      '$345.81',
      'Paid',
      '-$100.00',
      'Balance due',
      '$245.81',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('when rendered twice, it makes the same bytes', async () => {
    // Act
    const [first, second] = await Promise.all([
      renderInvoicePdf(input(anInvoice())),
      renderInvoicePdf(input(anInvoice())),
    ]);

    // Assert
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it("when keyed, it lives under the tenant's prefix, one per invoice", () => {
    expect(invoicePdfKey('ten_acme', 'inv_existing')).toBe('tenants/ten_acme/invoices/inv_existing.pdf');
  });
});

describe('invoice reads', () => {
  let invoices: Map<string, Invoice>;
  let payments: Payment[];
  const findInvoice = async (tenantId: string, invoiceId: string) => invoices.get(`${tenantId}/${invoiceId}`);
  const paymentRecords = { paymentsOf: async () => payments };
  const blobs = new InMemoryBlobStore();
  const clock = new SettableClock('2025-03-20T16:00:00.000Z');

  beforeEach(() => {
    invoices = new Map();
    payments = [];
  });

  it("when the office lists an invoice's payments, it gets them with the status, what is paid and the balance", async () => {
    // Arrange
    invoices.set('ten_acme/inv_existing', anInvoice({ status: 'partially_paid', amountPaid: 10_000 }));
    payments = [aPayment(), aPayment({ paymentId: 'pay_0002', invoiceId: 'inv_voided' })];

    // Act
    const result = await invoicePayments({ findInvoice, paymentRecords }, aDispatcher(), 'inv_existing');

    // Assert
    expect(result).toMatchObject({ invoice: { status: 'partially_paid' }, balance: 21_858 });
    expect(result.payments.map((payment) => payment.paymentId)).toEqual(['pay_0001']);
  });

  it("when the id is another tenant's or unknown, it is not found", async () => {
    // Arrange
    invoices.set('ten_other/inv_existing', anInvoice({ tenantId: 'ten_other' }));

    // Act
    const error = await rejectionOf(
      invoicePayments({ findInvoice, paymentRecords }, aDispatcher(), 'inv_existing'),
    );

    // Assert
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('when the PDF was written, the office gets a 15-minute link; before, a 409', async () => {
    // Arrange
    invoices.set(
      'ten_acme/inv_existing',
      anInvoice({ status: 'sent', pdfKey: invoicePdfKey('ten_acme', 'inv_existing') }),
    );
    invoices.set('ten_acme/inv_draft', anInvoice({ invoiceId: 'inv_draft', status: 'draft' }));

    // Act
    const link = await invoicePdfLink({ findInvoice, blobs, clock }, aDispatcher(), 'inv_existing');
    const early = await rejectionOf(
      invoicePdfLink({ findInvoice, blobs, clock }, aDispatcher(), 'inv_draft'),
    );

    // Assert
    expect(link).toEqual({
      url: 'https://field-service-bucket.s3.example/tenants/ten_acme/invoices/inv_existing.pdf?expires=900',
      expiresAt: '2025-03-20T16:15:00.000Z',
    });
    expect(early).toBeInstanceOf(ConflictError);
    expect((early as ConflictError).extensions).toEqual({ currentStatus: 'draft' });
  });
});
