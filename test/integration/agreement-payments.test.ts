import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../lambdas/domain/invoicing/invoice.ts';
import { addLocalDays } from '../../lambdas/domain/scheduling/local-time.ts';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';
import { aCheckoutCompleted, aSentInvoice, stripeSignature } from '../helpers/payment-events.ts';

const entities = tableEntities();

interface AgreementInvoiceBody {
  id: string;
  agreementId: string;
  status: string;
  total: number;
  amountPaid: number;
  balance: number;
}
interface PaymentsBody {
  invoiceId: string;
  workOrderId: string;
  status: string;
  currency: string;
  total: number;
  amountPaid: number;
  balance: number;
  items: { id: string; amount: number; method: string; reference?: string; recordedBy: string }[];
}
interface ProblemBody {
  status: number;
  errors?: { field: string; message: string }[];
}
interface AnswerBody {
  received: boolean;
  eventId: string;
  outcome: string;
  paymentId?: string;
}
interface OutboxBody {
  items: { workOrderId?: string; channel: string; to: string; subject?: string; body: string }[];
}

const zone = 'America/Chicago';
const today = () => format(new TZDate(Date.now(), zone), 'yyyy-MM-dd');

const webhook = (body: string) =>
  api<AnswerBody>('POST', '/v1/payments/stripe/webhook', {
    rawBody: body,
    headers: { 'stripe-signature': stripeSignature(body) },
  });

/** Whether a one-time schedule of this name is still waiting to fire. */
const pending = async (name: string) =>
  (await entities.localSchedule.get({ name }).go({ consistent: true })).data?.state === 'pending';

describe('payments of service agreement invoices (local platform)', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  /** Each billed by the platform: its first quarter invoiced and sent to the customer. */
  let officePaid: AgreementInvoiceBody;
  let cardPaid: AgreementInvoiceBody;

  const pay = (invoiceId: string, body: unknown, token = dispatcher) =>
    api<PaymentsBody & ProblemBody>('POST', `/v1/invoices/${invoiceId}/payments`, { token, body });
  const invoicesOf = async (agreementId: string) =>
    (
      await api<{ items: AgreementInvoiceBody[] }>('GET', `/v1/agreements/${agreementId}/invoices`, {
        token: dispatcher,
      })
    ).body.items;

  /**
   * An agreement whose term began yesterday, billed as the schedule runner bills it: its first
   * period's schedule (due a minute after the agreement was entered) is brought forward to now.
   */
  async function aBilledAgreement(): Promise<AgreementInvoiceBody> {
    const created = await api<{ id: string }>('POST', '/v1/agreements', {
      token: dispatcher,
      body: {
        customerId: tenant.customerId,
        name: 'Comfort Club',
        serviceTypeIds: [tenant.serviceTypeId],
        billing: { frequency: 'quarterly', amount: 8_900 },
        memberDiscountBasisPoints: 1_000,
        includedVisitsPerTerm: 2,
        termStart: addLocalDays(today(), -1),
      },
    });
    expect(created.status).toBe(201);
    const agreementId = created.body.id;
    const name = `agreement-billing-${agreementId}-0`;
    const { data: schedule } = await entities.localSchedule.get({ name }).go({ consistent: true });
    if (!schedule) throw new Error(`No schedule ${name}`);
    await entities.localSchedule
      .put({ ...schedule, fireAt: new Date(Date.now() - 1_000).toISOString() })
      .go();
    return eventually(async () => {
      const [invoice] = await invoicesOf(agreementId);
      return invoice?.status === 'sent' ? invoice : undefined;
    }, 20_000);
  }

  /** A sent agreement invoice of 89.00 written straight to the table, for the refusals. */
  async function aStoredAgreementInvoice(): Promise<Invoice> {
    const at = new Date().toISOString();
    const invoice: Invoice = {
      tenantId: tenant.tenantId,
      workOrderId: `agr_${ulid()}`,
      invoiceId: `inv_${ulid()}`,
      customerId: tenant.customerId,
      status: 'sent',
      currency: 'USD',
      lines: [{ description: 'Comfort Club', quantity: 1, unit: 'period', unitPrice: 8_900, amount: 8_900 }],
      subtotal: 8_900,
      tax: 0,
      total: 8_900,
      amountPaid: 0,
      dueDate: addLocalDays(today(), 14),
      sentAt: at,
      version: 2,
      createdAt: at,
      updatedAt: at,
    };
    await entities.invoice.create(invoice).go();
    return invoice;
  }

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    [officePaid, cardPaid] = await Promise.all([aBilledAgreement(), aBilledAgreement()]);
  }, 60_000);

  it('when a period is billed, the office gets a link to its PDF and the customer’s message carries a link to pay it', async () => {
    // Act
    const link = await api<{ url: string; expiresAt: string }>('GET', `/v1/invoices/${officePaid.id}/pdf`, {
      token: dispatcher,
    });
    const pdf = await fetch(link.body.url);
    const outbox = await api<OutboxBody>('GET', '/local/outbox', { token: dispatcher });

    // Assert
    expect(link.status).toBe(200);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const message = outbox.body.items.find((item) => item.subject?.startsWith(`Invoice ${officePaid.id} `));
    expect(message).toMatchObject({
      channel: 'sms',
      to: '+13125550100',
      subject: `Invoice ${officePaid.id} from Test Heating & Air`,
      body: expect.stringContaining('is $89.00, due '),
    });
    const invoicePage = /Pay online: (http:\/\/127\.0\.0\.1:\d+\/pages\/invoice\/[\w.-]+)/.exec(
      message?.body ?? '',
    )?.[1];
    expect(invoicePage, 'the invoice page link in the invoice message').toBeDefined();
    const shown = await fetch(invoicePage ?? '', { headers: { accept: 'text/html' } });
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('Comfort Club');
    const pay = await fetch(`${invoicePage}/pay`, { method: 'POST', redirect: 'manual' });
    const payLink = pay.headers.get('location')?.split('?')[0];
    expect(payLink, 'the checkout the pay button opens').toMatch(/\/local\/pay\//);
    const page = await fetch(payLink ?? '', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`Invoice ${officePaid.id}`);
    expect(html).toContain('Pay $89.00');
  });

  it('when the office records part of the balance by cash and the rest by check, the invoice is partially paid, then paid with nothing owed, and takes no more', async () => {
    // Arrange
    const overdueCheck = `invoice-overdue-${officePaid.id}`;
    const pendingBefore = await pending(overdueCheck);

    // Act
    const part = await pay(officePaid.id, { amount: 3_000, method: 'cash' });
    const rest = await pay(officePaid.id, { amount: 5_900, method: 'check', reference: 'check 1042' });
    const more = await pay(officePaid.id, { amount: 100, method: 'cash' });

    // Assert
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({
      invoiceId: officePaid.id,
      workOrderId: officePaid.agreementId,
      status: 'partially_paid',
      currency: 'USD',
      total: 8_900,
      amountPaid: 3_000,
      balance: 5_900,
    });
    expect(part.body.items).toEqual([expect.objectContaining({ amount: 3_000, method: 'cash' })]);
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ status: 'paid', amountPaid: 8_900, balance: 0 });
    expect(rest.body.items.map((item) => [item.amount, item.method, item.reference])).toEqual([
      [3_000, 'cash', undefined],
      [5_900, 'check', 'check 1042'],
    ]);
    expect(more.status).toBe(409);
    const listed = (await invoicesOf(officePaid.agreementId)).find((invoice) => invoice.id === officePaid.id);
    expect(listed).toMatchObject({ status: 'paid', amountPaid: 8_900, balance: 0 });
    // The invoice's overdue check waited until it was paid in full.
    expect(pendingBefore).toBe(true);
    expect(await pending(overdueCheck)).toBe(false);
  });

  it('when the amount is above the balance, it is refused with 422 naming body.amount and nothing is recorded', async () => {
    // Arrange
    const invoice = await aStoredAgreementInvoice();

    // Act
    const response = await pay(invoice.invoiceId, { amount: 8_901, method: 'cash' });

    // Assert
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([{ field: 'body.amount', message: 'at most the balance, 8900' }]);
    const listed = await api<PaymentsBody>('GET', `/v1/invoices/${invoice.invoiceId}/payments`, {
      token: dispatcher,
    });
    expect(listed.body).toMatchObject({ status: 'sent', amountPaid: 0, balance: 8_900, items: [] });
  });

  it('when a technician records a payment it is 403; another tenant’s or an unknown invoice is 404', async () => {
    // Arrange
    const invoice = await aStoredAgreementInvoice();
    const [technician, stranger] = await Promise.all([
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
      tokenFor('dispatcher', (await aTenant(entities)).tenantId),
    ]);
    const body = { amount: 1_000, method: 'cash' };

    // Act
    const forbidden = await pay(invoice.invoiceId, body, technician);
    const hidden = await pay(invoice.invoiceId, body, stranger);
    const unknown = await pay(`inv_${ulid()}`, body);

    // Assert
    expect([forbidden.status, hidden.status, unknown.status]).toEqual([403, 404, 404]);
    const { data: stored } = await entities.invoice
      .get({ tenantId: tenant.tenantId, workOrderId: invoice.workOrderId, invoiceId: invoice.invoiceId })
      .go({ consistent: true });
    expect(stored).toMatchObject({ status: 'sent', amountPaid: 0, version: 2 });
  });

  it('when Stripe posts a paid checkout of part of an agreement invoice, a card payment is recorded once, however often it is delivered, and the pay link then takes the rest', async () => {
    // Arrange
    const event = aCheckoutCompleted(
      { tenantId: tenant.tenantId, workOrderId: cardPaid.agreementId, invoiceId: cardPaid.id },
      4_000,
    );

    // Act
    const first = await webhook(event.body);
    const again = await webhook(event.body);
    const afterEvents = await api<PaymentsBody>('GET', `/v1/invoices/${cardPaid.id}/payments`, {
      token: dispatcher,
    });
    const outbox = await api<OutboxBody>('GET', '/local/outbox', { token: dispatcher });
    const message = outbox.body.items.find((item) => item.subject?.startsWith(`Invoice ${cardPaid.id} `));
    // The invoice page's pay button makes the checkout for what is still owed.
    const invoicePage = /Pay online: (\S+)/.exec(message?.body ?? '')?.[1] ?? '';
    const checkout = await fetch(`${invoicePage}/pay`, { method: 'POST', redirect: 'manual' });
    const payLink = checkout.headers.get('location')?.split('?')[0] ?? '';
    const paidOnline = await fetch(payLink, { method: 'POST', headers: { accept: 'application/json' } });

    // Assert
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: true, eventId: event.eventId, outcome: 'recorded' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ eventId: event.eventId, outcome: 'duplicate' });
    expect(afterEvents.body).toMatchObject({ status: 'partially_paid', amountPaid: 4_000, balance: 4_900 });
    expect(afterEvents.body.items).toEqual([
      expect.objectContaining({
        id: first.body.paymentId,
        amount: 4_000,
        method: 'card',
        reference: event.paymentIntentId,
        recordedBy: 'payments',
      }),
    ]);
    expect(paidOnline.status).toBe(200);
    expect(await paidOnline.json()).toMatchObject({
      invoiceId: cardPaid.id,
      amount: 4_900,
      webhook: { received: true, outcome: 'recorded' },
    });
    const listed = (await invoicesOf(cardPaid.agreementId)).find((invoice) => invoice.id === cardPaid.id);
    expect(listed).toMatchObject({ status: 'paid', amountPaid: 8_900, balance: 0 });
    expect(await pending(`invoice-overdue-${cardPaid.id}`)).toBe(false);
  });

  it('when the office records the whole balance of a work order’s invoice, the invoice and the work order are paid', async () => {
    // Arrange
    const stored = await aStoredWorkOrder(entities, tenant, { status: 'invoiced' });
    const invoice = await aSentInvoice(entities, stored);
    await entities.workOrder
      .patch({ tenantId: tenant.tenantId, workOrderId: stored.workOrderId })
      .set({ invoiceId: invoice.invoiceId })
      .go();

    // Act
    const response = await pay(invoice.invoiceId, {
      amount: 18_000,
      method: 'bank_transfer',
      reference: 'ACH 77',
    });

    // Assert
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      invoiceId: invoice.invoiceId,
      workOrderId: stored.workOrderId,
      status: 'paid',
      amountPaid: 18_000,
      balance: 0,
    });
    expect(response.body.items).toEqual([
      expect.objectContaining({ amount: 18_000, method: 'bank_transfer', reference: 'ACH 77' }),
    ]);
    const workOrder = await api<{ status: string }>('GET', `/v1/work-orders/${stored.workOrderId}`, {
      token: dispatcher,
    });
    expect(workOrder.body.status).toBe('paid');
  });
});
