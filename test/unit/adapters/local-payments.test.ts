import { describe, expect, it } from 'vitest';
import {
  checkoutCompletedEvent,
  LocalPayments,
  readPayToken,
  signLocalEvent,
} from '../../../lambdas/adapters/local/local-payments.ts';
import { PaymentEventSignatureError } from '../../../lambdas/ports/payments.ts';
import { aCustomer, anInvoice } from '../../fixtures/unit-records.ts';
import { SettableClock } from '../fakes/settable-clock.ts';
import { rejectionOf } from '../support/caught-errors.ts';

const secret = 'whsec_local_test';
const now = '2025-03-20T16:00:00.000Z';
const ids = {
  tenantId: 'ten_acme',
  workOrderId: 'wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
  invoiceId: 'inv_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
};

const localPayments = () =>
  new LocalPayments({
    apiUrl: 'http://127.0.0.1:4321/',
    webhookSecret: secret,
    clock: new SettableClock(now),
  });

const tokenOf = (url: string) => url.slice('http://127.0.0.1:4321/local/pay/'.length);

describe('LocalPayments', () => {
  it("when an invoice is sent, its checkout is the local gateway's pay page with a token for that invoice, good for 30 days", async () => {
    // Act
    const checkout = await localPayments().createCheckout(
      anInvoice({ ...ids, status: 'approved' }),
      aCustomer(),
    );

    // Assert
    expect(checkout.url).toMatch(/^http:\/\/127\.0\.0\.1:4321\/local\/pay\/[\w-]+\.[\w-]+$/);
    expect(checkout.reference).toMatch(/^cs_local_[0-9a-f]{24}$/);
    expect(checkout.expiresAt).toBe('2025-04-19T16:00:00.000Z');
    expect(readPayToken(tokenOf(checkout.url), secret, new Date(now))).toEqual({
      ...ids,
      expiresAt: Date.parse('2025-04-19T16:00:00.000Z') / 1000,
    });
  });

  it.each([
    ['tampered with', (token: string) => `${token.slice(0, -2)}xx`, now],
    [
      'for another invoice',
      (token: string) =>
        `${Buffer.from(JSON.stringify({ ...ids, invoiceId: 'inv_01JD3Q8ZV5X6Y7Z8A9B0C1D2E4', expiresAt: 2e9 })).toString('base64url')}.${token.split('.')[1]}`,
      now,
    ],
    ['expired', (token: string) => token, '2025-04-19T16:00:01.000Z'],
    ['not a token', () => 'hello', now],
  ])('when the token is %s, it is refused', async (_, change, at) => {
    // Arrange
    const checkout = await localPayments().createCheckout(
      anInvoice({ ...ids, status: 'approved' }),
      aCustomer(),
    );

    // Act
    const read = readPayToken(change(tokenOf(checkout.url)), secret, new Date(at));

    // Assert
    expect(read).toBeUndefined();
  });

  it("when the pay page posts its signed event, the webhook reads it as Stripe's checkout payment", async () => {
    // Arrange
    const payload = checkoutCompletedEvent(
      { ...ids, expiresAt: 2e9 },
      { amount: 31858, currency: 'USD', eventId: 'evt_local_1', paymentIntentId: 'pi_local_1' },
      new Date(now),
    );

    // Act
    const event = await localPayments().verifyWebhook(payload, {
      'stripe-signature': signLocalEvent(payload, secret, new Date(now)),
    });

    // Assert
    expect(event).toEqual({
      eventId: 'evt_local_1',
      type: 'checkout.session.completed',
      kind: 'paymentSucceeded',
      payment: { ...ids, amount: 31858, currency: 'USD', reference: 'pi_local_1' },
    });
  });

  it('when an event is signed with another secret, it is refused as Stripe would refuse it', async () => {
    // Arrange
    const payload = checkoutCompletedEvent(
      { ...ids, expiresAt: 2e9 },
      { amount: 31858, currency: 'USD', eventId: 'evt_local_1', paymentIntentId: 'pi_local_1' },
      new Date(now),
    );

    // Act
    const error = await rejectionOf(
      localPayments().verifyWebhook(payload, {
        'stripe-signature': signLocalEvent(payload, 'whsec_other', new Date(now)),
      }),
    );

    // Assert
    expect(error).toBeInstanceOf(PaymentEventSignatureError);
  });
});
