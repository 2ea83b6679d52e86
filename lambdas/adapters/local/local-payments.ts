import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { z } from 'zod';
import type { Customer } from '../../domain/customers/customer.ts';
import type { Invoice } from '../../domain/invoicing/invoice.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Checkout, CheckoutOptions, PaymentEvent, Payments } from '../../ports/payments.ts';
import { paymentMetadata } from '../../schemas/payments.ts';
import { paymentEventOf, verifyStripeEvent } from '../payments/stripe-events.ts';

/**
 * The API version the events are written in: Stripe's own, checked against the installed
 * library by the type (the library itself is not loaded here, as every function imports this).
 */
const stripeApiVersion: Stripe.LatestApiVersion = '2026-10-28.endive';

/** A local pay link is good for as long as a customer might take to pay. */
const payLinkDays = 30;

/** What a local pay link stands for: one invoice of one tenant, until it expires. */
export interface PayToken {
  tenantId: string;
  workOrderId: string;
  invoiceId: string;
  /** Unix seconds. */
  expiresAt: number;
}

const payTokenSchema = paymentMetadata.extend({ expiresAt: z.number().int() });

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** The pay links are signed with a key of their own, derived from the local webhook secret. */
const linkKey = (secret: string) => createHmac('sha256', secret).update('local-pay-link').digest();

export function signPayToken(token: PayToken, secret: string): string {
  const body = base64url(JSON.stringify(token));
  const signature = createHmac('sha256', linkKey(secret)).update(body).digest('base64url');
  return `${body}.${signature}`;
}

/** The token's invoice, or undefined when the token is malformed, tampered with or expired. */
export function readPayToken(token: string, secret: string, now: Date): PayToken | undefined {
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) return undefined;
  const expected = createHmac('sha256', linkKey(secret)).update(body).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = payTokenSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.expiresAt * 1000 <= now.getTime()) return undefined;
  return parsed.data;
}

/**
 * The event Stripe would post when a Checkout Session of the invoice is paid: the local pay page
 * posts it, signed with the local webhook secret, to the same webhook endpoint.
 */
export function checkoutCompletedEvent(
  token: PayToken,
  payment: { amount: number; currency: string; eventId: string; paymentIntentId: string },
  now: Date,
): string {
  const metadata = { tenantId: token.tenantId, workOrderId: token.workOrderId, invoiceId: token.invoiceId };
  return JSON.stringify({
    id: payment.eventId,
    object: 'event',
    api_version: stripeApiVersion,
    created: Math.floor(now.getTime() / 1000),
    livemode: false,
    type: 'checkout.session.completed',
    data: {
      object: {
        id: localSessionId(token),
        object: 'checkout.session',
        mode: 'payment',
        status: 'complete',
        payment_status: 'paid',
        amount_total: payment.amount,
        currency: payment.currency.toLowerCase(),
        client_reference_id: token.invoiceId,
        payment_intent: payment.paymentIntentId,
        metadata,
      },
    },
  });
}

/** The `Stripe-Signature` header of a local event, made as Stripe makes it (`t=…,v1=` HMAC-SHA256 of `t.payload`). */
export function signLocalEvent(payload: string, secret: string, now: Date): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;
}

const localSessionId = (token: Pick<PayToken, 'tenantId' | 'invoiceId'>) =>
  `cs_local_${createHash('sha256').update(`${token.tenantId}/${token.invoiceId}`).digest('hex').slice(0, 24)}`;

/**
 * The local twin of Stripe: the checkout is a page of the local gateway
 * (`/local/pay/{token}`, the token signed and scoped to one invoice), and webhook events are
 * verified exactly as Stripe's are, with the local webhook secret.
 */
export class LocalPayments implements Payments {
  constructor(private readonly settings: { apiUrl: string; webhookSecret: string; clock: Clock }) {}

  async createCheckout(
    invoice: Invoice,
    _customer: Customer | undefined,
    options: CheckoutOptions = {},
  ): Promise<Checkout> {
    const now = this.settings.clock.now();
    const token: PayToken = {
      tenantId: invoice.tenantId,
      workOrderId: invoice.workOrderId,
      invoiceId: invoice.invoiceId,
      expiresAt: Math.floor(now.getTime() / 1000) + payLinkDays * 24 * 60 * 60,
    };
    return {
      // Where the page sends the customer once paid, as Stripe's success URL does.
      url: `${this.settings.apiUrl.replace(/\/$/, '')}/local/pay/${signPayToken(token, this.settings.webhookSecret)}${
        options.returnUrl ? `?return=${encodeURIComponent(options.returnUrl)}` : ''
      }`,
      reference: localSessionId(token),
      expiresAt: new Date(token.expiresAt * 1000).toISOString(),
    };
  }

  async verifyWebhook(rawBody: string, headers: Record<string, string | undefined>): Promise<PaymentEvent> {
    const event = await verifyStripeEvent(
      rawBody,
      headers['stripe-signature'],
      this.settings.webhookSecret,
      this.settings.clock.now().getTime(),
    );
    return paymentEventOf(event);
  }
}
