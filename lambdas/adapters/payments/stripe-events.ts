import type Stripe from 'stripe';
import { type PaymentEvent, PaymentEventSignatureError } from '../../ports/payments.ts';
import { paymentMetadata } from '../../schemas/payments.ts';

/** How old (or how far ahead) a signed event's timestamp may be: five minutes, as Stripe advises. */
export const webhookToleranceSeconds = 300;

/** The events that carry a payment to record; every other type is acknowledged and left alone. */
export const paymentEventTypes = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'payment_intent.succeeded',
] as const;

/**
 * Verifies a Stripe-signed webhook body (`Stripe-Signature: t=<seconds>,v1=<HMAC-SHA256 of
 * "t.body">`) with the endpoint's secret, and parses it. Stripe's check refuses timestamps older
 * than the tolerance; one further ahead than the tolerance is refused here too. The Stripe
 * library is loaded on first use: every function imports the payment adapters, few verify events.
 */
export async function verifyStripeEvent(
  rawBody: string,
  signature: string | undefined,
  secret: string,
  nowMs: number,
): Promise<Stripe.Event> {
  if (!signature) throw new PaymentEventSignatureError('is missing');
  const timestamp = Number(/(?:^|,)\s*t=(\d+)/.exec(signature)?.[1]);
  if (Number.isFinite(timestamp) && timestamp * 1000 - nowMs > webhookToleranceSeconds * 1000) {
    throw new PaymentEventSignatureError(
      `the timestamp is outside the ${webhookToleranceSeconds}-second tolerance`,
    );
  }
  const { default: Stripe } = await import('stripe');
  try {
    return Stripe.webhooks.constructEvent(
      rawBody,
      signature,
      secret,
      webhookToleranceSeconds,
      undefined,
      nowMs,
    );
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw error;
    throw new PaymentEventSignatureError(
      /timestamp outside/i.test(error.message)
        ? `the timestamp is outside the ${webhookToleranceSeconds}-second tolerance`
        : 'does not match the body',
    );
  }
}

/** The payment a Stripe event tells of, if it is a settled payment of one of our invoices. */
export function paymentEventOf(event: Stripe.Event): PaymentEvent {
  const { id: eventId, type } = event;
  const ignored = (reason: string): PaymentEvent => ({ eventId, type, kind: 'ignored', reason });
  let source: { metadata: unknown; amount: number | null; currency: string | null; reference: string };
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      if (session.mode !== 'payment') return ignored(`a ${session.mode} checkout`);
      // A bank debit completes the checkout before the money arrives; its async event follows.
      if (session.payment_status !== 'paid') return ignored(`payment ${session.payment_status}`);
      const intent = session.payment_intent;
      source = {
        metadata: session.metadata,
        amount: session.amount_total,
        currency: session.currency,
        reference: typeof intent === 'string' ? intent : (intent?.id ?? session.id),
      };
      break;
    }
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      source = {
        metadata: intent.metadata,
        amount: intent.amount_received,
        currency: intent.currency,
        reference: intent.id,
      };
      break;
    }
    default:
      return ignored(`${type} is not a payment event`);
  }
  const metadata = paymentMetadata.safeParse(source.metadata);
  if (!metadata.success) return ignored('not a payment of an invoice of this platform');
  if (!source.amount || source.amount <= 0 || !source.currency) return ignored('no amount');
  return {
    eventId,
    type,
    kind: 'paymentSucceeded',
    payment: {
      ...metadata.data,
      amount: source.amount,
      currency: source.currency.toUpperCase(),
      reference: source.reference,
    },
  };
}
