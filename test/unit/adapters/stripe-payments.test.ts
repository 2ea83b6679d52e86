import Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { webhookToleranceSeconds } from '../../../lambdas/adapters/payments/stripe-events.ts';
import { type CheckoutSessions, StripePayments } from '../../../lambdas/adapters/payments/stripe-payments.ts';
import { PaymentEventSignatureError } from '../../../lambdas/ports/payments.ts';
import { aCustomer, anInvoice } from '../../fixtures/unit-records.ts';
import { SettableClock } from '../fakes/settable-clock.ts';
import { rejectionOf } from '../support/caught-errors.ts';

const keys = { secretKey: 'sk_test_fake', webhookSecret: 'whsec_test_fake' };
const receivedAt = '2025-03-20T16:00:00.000Z';
const receivedSeconds = Date.parse(receivedAt) / 1000;

/** The Checkout Sessions API faked: keeps every request, answers with a session of its own. */
class FakeSessions implements CheckoutSessions {
  readonly requests: { params: Stripe.Checkout.SessionCreateParams; options?: Stripe.RequestOptions }[] = [];

  async create(params: Stripe.Checkout.SessionCreateParams, options?: Stripe.RequestOptions) {
    this.requests.push({ params, ...(options ? { options } : {}) });
    return {
      id: 'cs_test_a1',
      url: 'https://checkout.stripe.com/c/pay/cs_test_a1',
      expires_at: receivedSeconds + 86_400,
    };
  }
}

const metadata = {
  tenantId: 'ten_acme',
  workOrderId: 'wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
  invoiceId: 'inv_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
};

const checkoutCompleted = (session: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'evt_1',
    object: 'event',
    type: 'checkout.session.completed',
    data: {
      object: {
        id: 'cs_test_a1',
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        amount_total: 31858,
        currency: 'usd',
        payment_intent: 'pi_3Q0001',
        metadata,
        ...session,
      },
    },
  });

const signed = (payload: string, timestamp = receivedSeconds, secret = keys.webhookSecret) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });

describe('StripePayments', () => {
  let sessions: FakeSessions;
  let keyReads: number;
  let payments: StripePayments;

  beforeEach(() => {
    sessions = new FakeSessions();
    keyReads = 0;
    payments = new StripePayments(
      async () => {
        keyReads += 1;
        return keys;
      },
      {
        clock: new SettableClock(receivedAt),
        returnUrl: 'https://app.example.com/paid',
        sessions: () => sessions,
      },
    );
  });

  describe('createCheckout', () => {
    it('when an invoice is sent, it asks for a payment-mode Checkout Session of the balance, tagged with the tenant, work order and invoice', async () => {
      // Arrange
      const invoice = anInvoice({ ...metadata, status: 'approved', amountPaid: 10_000 });

      // Act
      const checkout = await payments.createCheckout(invoice, aCustomer());

      // Assert
      expect(checkout).toEqual({
        url: 'https://checkout.stripe.com/c/pay/cs_test_a1',
        reference: 'cs_test_a1',
        expiresAt: '2025-03-21T16:00:00.000Z',
      });
      expect(sessions.requests).toEqual([
        {
          params: {
            mode: 'payment',
            client_reference_id: metadata.invoiceId,
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: 'usd',
                  unit_amount: 21_858,
                  product_data: {
                    name: `Invoice ${metadata.invoiceId}`,
                    description: 'Balance due 2025-03-28',
                  },
                },
              },
            ],
            metadata,
            payment_intent_data: { metadata, description: `Invoice ${metadata.invoiceId}` },
            customer_email: 'dana@example.com',
            success_url: 'https://app.example.com/paid',
          },
          options: { idempotencyKey: `checkout-ten_acme-${metadata.invoiceId}-21858` },
        },
      ]);
    });

    it('when the invoice is paid in full, it asks for no checkout', async () => {
      // Arrange
      const invoice = anInvoice({ status: 'paid', amountPaid: 31858 });

      // Act
      const error = await rejectionOf(payments.createCheckout(invoice, aCustomer()));

      // Assert
      expect(error).toMatchObject({ message: 'Invoice inv_existing has no balance to pay' });
      expect(sessions.requests).toEqual([]);
    });
  });

  describe('verifyWebhook', () => {
    it('when a paid checkout is signed with the endpoint secret, it reads the payment: amount, currency and the payment intent as reference', async () => {
      // Arrange
      const body = checkoutCompleted();

      // Act
      const event = await payments.verifyWebhook(body, { 'stripe-signature': signed(body) });

      // Assert
      expect(event).toEqual({
        eventId: 'evt_1',
        type: 'checkout.session.completed',
        kind: 'paymentSucceeded',
        payment: { ...metadata, amount: 31858, currency: 'USD', reference: 'pi_3Q0001' },
      });
      expect(keyReads).toBe(1);
    });

    it('when a payment intent succeeded, it reads the amount received and the intent id', async () => {
      // Arrange
      const body = JSON.stringify({
        id: 'evt_2',
        object: 'event',
        type: 'payment_intent.succeeded',
        data: {
          object: {
            id: 'pi_3Q0002',
            object: 'payment_intent',
            amount_received: 5000,
            currency: 'usd',
            metadata,
          },
        },
      });

      // Act
      const event = await payments.verifyWebhook(body, { 'stripe-signature': signed(body) });

      // Assert
      expect(event).toMatchObject({
        kind: 'paymentSucceeded',
        payment: { amount: 5000, reference: 'pi_3Q0002' },
      });
    });

    it.each([
      [
        'the body was changed after signing',
        (body: string) => ({ body: body.replace('31858', '1'), header: signed(body) }),
      ],
      [
        'it was signed with another secret',
        (body: string) => ({ body, header: signed(body, receivedSeconds, 'whsec_other') }),
      ],
      ['there is no signature', (body: string) => ({ body, header: undefined })],
      ['the signature is garbage', (body: string) => ({ body, header: 'v1=abc' })],
    ])('when %s, it throws a signature error', async (_, tamper) => {
      // Arrange
      const { body, header } = tamper(checkoutCompleted());

      // Act
      const error = await rejectionOf(payments.verifyWebhook(body, { 'stripe-signature': header }));

      // Assert
      expect(error).toBeInstanceOf(PaymentEventSignatureError);
    });

    it.each([
      ['older', -(webhookToleranceSeconds + 1)],
      ['further ahead', webhookToleranceSeconds + 1],
    ])(
      'when the timestamp is %s than the tolerance, it throws a signature error saying so',
      async (_, offset) => {
        // Arrange
        const body = checkoutCompleted();

        // Act
        const error = await rejectionOf(
          payments.verifyWebhook(body, { 'stripe-signature': signed(body, receivedSeconds + offset) }),
        );

        // Assert
        expect(error).toBeInstanceOf(PaymentEventSignatureError);
        expect((error as Error).message).toBe('the timestamp is outside the 300-second tolerance');
      },
    );

    it('when the timestamp is within the tolerance, it accepts the event', async () => {
      // Arrange
      const body = checkoutCompleted();

      // Act
      const event = await payments.verifyWebhook(body, {
        'stripe-signature': signed(body, receivedSeconds - webhookToleranceSeconds + 5),
      });

      // Assert
      expect(event.kind).toBe('paymentSucceeded');
    });

    it.each([
      ['a checkout whose bank debit has not arrived', checkoutCompleted({ payment_status: 'unpaid' })],
      ['a subscription checkout', checkoutCompleted({ mode: 'subscription' })],
      ['a checkout of another system on the account', checkoutCompleted({ metadata: { orderId: '42' } })],
      [
        'an event that is no payment',
        JSON.stringify({ id: 'evt_3', object: 'event', type: 'customer.created', data: { object: {} } }),
      ],
    ])('when %s arrives, it reads it as ignored', async (_, body) => {
      // Act
      const event = await payments.verifyWebhook(body, { 'stripe-signature': signed(body) });

      // Assert
      expect(event.kind).toBe('ignored');
    });
  });
});
