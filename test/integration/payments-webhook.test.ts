import { beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../lambdas/domain/invoicing/invoice.ts';
import type { WorkOrder } from '../../lambdas/domain/work-orders/work-order.ts';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';
import { aCheckoutCompleted, aSentInvoice, stripeSignature } from '../helpers/payment-events.ts';

const entities = tableEntities();

interface ProblemBody {
  status: number;
  errors?: { field: string; message: string }[];
}
interface AnswerBody {
  received: boolean;
  eventId: string;
  outcome: string;
  paymentId?: string;
  reason?: string;
}
interface PaymentsBody {
  invoiceId: string;
  status: string;
  total: number;
  amountPaid: number;
  balance: number;
  items: {
    id: string;
    amount: number;
    method: string;
    reference?: string;
    status: string;
    recordedBy: string;
  }[];
}

const webhook = (body: string, signature: string | undefined) =>
  api<AnswerBody & ProblemBody>('POST', '/v1/payments/stripe/webhook', {
    rawBody: body,
    headers: signature === undefined ? {} : { 'stripe-signature': signature },
  });

/** Everything a payment event could write: the work order, its invoice, payments, trail and the event's claim. */
async function writtenFor(workOrder: WorkOrder, eventId: string) {
  const key = { tenantId: workOrder.tenantId, workOrderId: workOrder.workOrderId };
  const [stored, invoice, payments, events, claim] = await Promise.all([
    entities.workOrder.get(key).go({ consistent: true }),
    entities.invoice.query.byWorkOrder(key).go({ consistent: true }),
    entities.payment.query.byWorkOrder(key).go({ consistent: true }),
    entities.workOrderEvent.query.byWorkOrder(key).go({ consistent: true }),
    entities.paymentEvent.get({ tenantId: workOrder.tenantId, eventId }).go({ consistent: true }),
  ]);
  return {
    workOrder: stored.data,
    invoice: invoice.data,
    payments: payments.data,
    events: events.data.length,
    claim: claim.data,
  };
}

describe("Stripe's webhook (local platform)", () => {
  let tenant: TenantFixture;
  let dispatcher: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
  });

  /** A work order whose invoice was sent and waits for payment (no execution: the API alone). */
  async function anInvoicedJob(): Promise<{ workOrder: WorkOrder; invoice: Invoice }> {
    const stored = await aStoredWorkOrder(entities, tenant, { status: 'invoiced' });
    const invoice = await aSentInvoice(entities, stored);
    await entities.workOrder
      .patch({ tenantId: tenant.tenantId, workOrderId: stored.workOrderId })
      .set({ invoiceId: invoice.invoiceId })
      .go();
    return { workOrder: { ...stored, invoiceId: invoice.invoiceId }, invoice };
  }

  it('when a signed paid checkout arrives, it records the card payment as the payments system and the invoice lists it', async () => {
    // Arrange
    const { workOrder, invoice } = await anInvoicedJob();
    const event = aCheckoutCompleted(invoice, 5_000);

    // Act
    const response = await webhook(event.body, stripeSignature(event.body));

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ received: true, eventId: event.eventId, outcome: 'recorded' });
    const listed = await api<PaymentsBody>('GET', `/v1/invoices/${invoice.invoiceId}/payments`, {
      token: dispatcher,
    });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({
      status: 'partially_paid',
      total: 18_000,
      amountPaid: 5_000,
      balance: 13_000,
    });
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id: response.body.paymentId,
        amount: 5_000,
        method: 'card',
        reference: event.paymentIntentId,
        status: 'succeeded',
        recordedBy: 'payments',
      }),
    ]);
    const written = await writtenFor(workOrder, event.eventId);
    expect(written.workOrder).toMatchObject({ status: 'invoiced' });
    expect(written.claim).toMatchObject({ state: 'processed', paymentId: response.body.paymentId });
  });

  it('when the same event id is delivered again, it answers 200 as a duplicate and changes nothing', async () => {
    // Arrange
    const { workOrder, invoice } = await anInvoicedJob();
    const event = aCheckoutCompleted(invoice, 5_000);
    await webhook(event.body, stripeSignature(event.body));
    const before = await writtenFor(workOrder, event.eventId);

    // Act
    const again = await webhook(event.body, stripeSignature(event.body));

    // Assert
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'duplicate', eventId: event.eventId });
    expect(await writtenFor(workOrder, event.eventId)).toEqual(before);
  });

  it.each([
    [
      'the body was changed after it was signed',
      (body: string) => ({
        body: body.replace('"amount_total":5000', '"amount_total":18000'),
        signature: stripeSignature(body),
      }),
    ],
    [
      'it was signed with another secret',
      (body: string) => ({ body, signature: stripeSignature(body, { secret: 'whsec_not_ours' }) }),
    ],
    ['it carries no signature', (body: string) => ({ body, signature: undefined })],
    [
      'it was signed more than 300 seconds ago',
      (body: string) => ({ body, signature: stripeSignature(body, { at: new Date(Date.now() - 301_000) }) }),
    ],
    [
      'it is signed more than 300 seconds ahead',
      // Well past the tolerance: the header carries whole seconds, and the request takes time
      // to arrive, both of which bring a timestamp just past it back within.
      (body: string) => ({ body, signature: stripeSignature(body, { at: new Date(Date.now() + 330_000) }) }),
    ],
  ])(
    'when %s, it is refused with 400 naming the signature header, and nothing is written',
    async (_, tamper) => {
      // Arrange
      const { workOrder, invoice } = await anInvoicedJob();
      const event = aCheckoutCompleted(invoice, 5_000);
      const { body, signature } = tamper(event.body);
      const before = await writtenFor(workOrder, event.eventId);

      // Act
      const response = await webhook(body, signature);

      // Assert
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.errors?.map((error) => error.field)).toEqual(['header.stripe-signature']);
      expect(await writtenFor(workOrder, event.eventId)).toEqual(before);
      expect(before.payments).toEqual([]);
      expect(before.claim).toBeNull();
    },
  );

  it('when an event names a work order of another deployment, it is acknowledged and nothing is written', async () => {
    // Arrange
    const event = aCheckoutCompleted(
      {
        tenantId: tenant.tenantId,
        workOrderId: 'wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
        invoiceId: 'inv_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
      },
      5_000,
    );

    // Act
    const response = await webhook(event.body, stripeSignature(event.body));

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ outcome: 'ignored' });
    const claim = await entities.paymentEvent.get({ tenantId: tenant.tenantId, eventId: event.eventId }).go();
    expect(claim.data).toBeNull();
  });

  it('when the payment is more than the balance, it is refused with 422, nothing is recorded, and a retry may try again', async () => {
    // Arrange
    const { workOrder, invoice } = await anInvoicedJob();
    const event = aCheckoutCompleted(invoice, 18_001);

    // Act
    const response = await webhook(event.body, stripeSignature(event.body));

    // Assert
    expect(response.status).toBe(422);
    const written = await writtenFor(workOrder, event.eventId);
    expect(written.payments).toEqual([]);
    expect(written.claim).toBeNull();
  });

  it("when a technician asks for an invoice's payments or PDF, it is forbidden; another tenant's invoice is not found", async () => {
    // Arrange
    const { invoice } = await anInvoicedJob();
    const technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });
    const otherTenant = await tokenFor('dispatcher', 'ten_someone_else');

    // Act
    const responses = await Promise.all([
      api('GET', `/v1/invoices/${invoice.invoiceId}/payments`, { token: technician }),
      api('GET', `/v1/invoices/${invoice.invoiceId}/pdf`, { token: technician }),
      api('GET', `/v1/invoices/${invoice.invoiceId}/payments`, { token: otherTenant }),
      api('GET', `/v1/invoices/${invoice.invoiceId}/pdf`, { token: otherTenant }),
    ]);

    // Assert
    expect(responses.map((response) => response.status)).toEqual([403, 403, 404, 404]);
  });
});
