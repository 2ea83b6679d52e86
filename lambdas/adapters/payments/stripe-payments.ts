import type Stripe from 'stripe';
import type { Customer } from '../../domain/customers/customer.ts';
import type { Invoice } from '../../domain/invoicing/invoice.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Checkout, CheckoutOptions, PaymentEvent, Payments } from '../../ports/payments.ts';
import { paymentEventOf, verifyStripeEvent } from './stripe-events.ts';
import type { StripeKeys } from './stripe-keys.ts';

/** The part of the Stripe client this adapter uses: creating Checkout Sessions. */
export interface CheckoutSessions {
  create(
    params: Stripe.Checkout.SessionCreateParams,
    options?: Stripe.RequestOptions,
  ): Promise<Pick<Stripe.Checkout.Session, 'id' | 'url' | 'expires_at'>>;
}

export interface StripePaymentsOptions {
  clock: Clock;
  /** Where Stripe sends the customer after paying; Stripe shows its own confirmation without it. */
  returnUrl?: string;
  /** The Checkout Sessions API for a secret key (the Stripe client; a fake in tests). */
  sessions?: (secretKey: string) => CheckoutSessions;
}

/** The Stripe client, its library loaded on first use (only sending an invoice needs it). */
async function stripeSessions(secretKey: string): Promise<CheckoutSessions> {
  const { default: Stripe } = await import('stripe');
  return new Stripe(secretKey, {
    maxNetworkRetries: 2,
    timeout: 10_000,
    appInfo: { name: 'field-service-work-orders' },
  }).checkout.sessions;
}

/**
 * Card payments through Stripe: a hosted Checkout Session per invoice balance, and the
 * webhook's signed events (`Stripe-Signature`, HMAC-SHA256, five minutes of tolerance).
 */
export class StripePayments implements Payments {
  private client: { secretKey: string; sessions: CheckoutSessions } | undefined;

  constructor(
    private readonly keys: () => Promise<StripeKeys>,
    private readonly options: StripePaymentsOptions,
  ) {}

  /**
   * A Checkout Session (mode `payment`) whose one line is the balance due. The tenant, work order
   * and invoice travel as metadata on the session and on its PaymentIntent, so the events of
   * either name the invoice. The request's idempotency key is the invoice and balance: a retried
   * send within Stripe's 24 hours gets the same session back.
   */
  async createCheckout(
    invoice: Invoice,
    customer: Customer | undefined,
    options: CheckoutOptions = {},
  ): Promise<Checkout> {
    const balance = invoice.total - invoice.amountPaid;
    if (balance <= 0) throw new Error(`Invoice ${invoice.invoiceId} has no balance to pay`);
    const metadata = {
      tenantId: invoice.tenantId,
      workOrderId: invoice.workOrderId,
      invoiceId: invoice.invoiceId,
    };
    const returnUrl = options.returnUrl ?? this.options.returnUrl;
    const sessions = await this.sessions();
    const session = await sessions.create(
      {
        mode: 'payment',
        client_reference_id: invoice.invoiceId,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: invoice.currency.toLowerCase(),
              unit_amount: balance,
              product_data: {
                name: `Invoice ${invoice.invoiceId}`,
                description: `Balance due ${invoice.dueDate}`,
              },
            },
          },
        ],
        metadata,
        payment_intent_data: { metadata, description: `Invoice ${invoice.invoiceId}` },
        ...(customer?.email ? { customer_email: customer.email } : {}),
        ...(returnUrl ? { success_url: returnUrl } : {}),
      },
      // A session sent back to the customer's invoice page is another request than one without.
      {
        idempotencyKey: `checkout-${invoice.tenantId}-${invoice.invoiceId}-${balance}${options.returnUrl ? '-page' : ''}`,
      },
    );
    if (!session.url) throw new Error(`Stripe returned no URL for the checkout of ${invoice.invoiceId}`);
    return {
      url: session.url,
      reference: session.id,
      ...(session.expires_at ? { expiresAt: new Date(session.expires_at * 1000).toISOString() } : {}),
    };
  }

  async verifyWebhook(rawBody: string, headers: Record<string, string | undefined>): Promise<PaymentEvent> {
    const { webhookSecret } = await this.keys();
    const event = await verifyStripeEvent(
      rawBody,
      headers['stripe-signature'],
      webhookSecret,
      this.options.clock.now().getTime(),
    );
    return paymentEventOf(event);
  }

  private async sessions(): Promise<CheckoutSessions> {
    const { secretKey } = await this.keys();
    if (this.client?.secretKey !== secretKey) {
      this.client = { secretKey, sessions: await (this.options.sessions ?? stripeSessions)(secretKey) };
    }
    return this.client.sessions;
  }
}
