import type { Customer } from '../domain/customers/customer.ts';
import type { Invoice, Payment } from '../domain/invoicing/invoice.ts';

/** Where the customer pays an invoice online, and the provider's name for that place. */
export interface Checkout {
  url: string;
  /** The provider's id of the checkout (a Stripe Checkout Session id, `cs_…`). */
  reference: string;
  /** When the link stops taking payments, if the provider says. */
  expiresAt?: string;
}

export interface CheckoutOptions {
  returnUrl?: string;
}

/** A payment the provider took for one of our invoices, as its signed event tells it. */
export interface CardPayment {
  tenantId: string;
  workOrderId: string;
  invoiceId: string;
  /** Minor units of `currency`. */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** The provider's id of the money movement (a Stripe PaymentIntent id, `pi_…`). */
  reference: string;
}

/** A verified provider event: a payment to record, or one this platform has no use for. */
export type PaymentEvent =
  | { eventId: string; type: string; kind: 'paymentSucceeded'; payment: CardPayment }
  | { eventId: string; type: string; kind: 'ignored'; reason: string };

/** The signature of a provider event is missing, wrong, or its timestamp is outside the tolerance. */
export class PaymentEventSignatureError extends Error {
  override readonly name = 'PaymentEventSignatureError';
}

/** Online card payments (Stripe in the cloud, a local pay page on this machine). */
export interface Payments {
  /**
   * A page where the customer pays the invoice's balance, tagged with the tenant, work order and
   * invoice; `returnUrl`, where to send the customer once paid (their invoice page).
   */
  createCheckout(
    invoice: Invoice,
    customer: Customer | undefined,
    options?: CheckoutOptions,
  ): Promise<Checkout>;
  /**
   * Checks the event's signature over the body exactly as received, and its timestamp, then
   * reads it; throws `PaymentEventSignatureError` when either check fails.
   */
  verifyWebhook(rawBody: string, headers: Record<string, string | undefined>): Promise<PaymentEvent>;
}

export type PaymentEventClaim = 'claimed' | 'processed' | 'inProgress';

/** The payments recorded on work orders, and the provider events already acted on. */
export interface PaymentRecords {
  /** The payments of a work order's invoice, oldest first (one Query on the work order's items). */
  paymentsOf(tenantId: string, workOrderId: string): Promise<Payment[]>;
  /**
   * Claims a provider event with a conditional put: `claimed` for the first delivery (or when an
   * earlier claim was left unfinished for `lockSeconds`), `processed` when it was acted on
   * already, `inProgress` while another delivery is acting on it.
   */
  claimEvent(
    event: { tenantId: string; eventId: string; type: string; workOrderId: string },
    lockSeconds: number,
  ): Promise<PaymentEventClaim>;
  /** Marks the claimed event acted on, with the payment it recorded (none for a repeat of one recorded). */
  completeEvent(tenantId: string, eventId: string, outcome: { paymentId?: string }): Promise<void>;
  /** Frees a claim whose processing failed, so that the provider's retry acts on it again. */
  releaseEvent(tenantId: string, eventId: string): Promise<void>;
}
