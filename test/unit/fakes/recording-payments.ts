import type { Customer } from '../../../lambdas/domain/customers/customer.ts';
import type { Invoice } from '../../../lambdas/domain/invoicing/invoice.ts';
import type { Checkout, CheckoutOptions, PaymentEvent, Payments } from '../../../lambdas/ports/payments.ts';
import { PaymentEventSignatureError } from '../../../lambdas/ports/payments.ts';

/**
 * Payments that keep every checkout asked for and answer with a predictable link; webhook bodies
 * are "verified" when their signature header is `valid`, and read as the event queued for them.
 */
export class RecordingPayments implements Payments {
  readonly checkouts: { invoice: Invoice; customer: Customer | undefined; options?: CheckoutOptions }[] = [];
  private readonly events = new Map<string, PaymentEvent>();

  async createCheckout(
    invoice: Invoice,
    customer: Customer | undefined,
    options?: CheckoutOptions,
  ): Promise<Checkout> {
    this.checkouts.push(structuredClone({ invoice, customer, ...(options ? { options } : {}) }));
    return {
      url: `https://pay.example/${invoice.invoiceId}/${invoice.total - invoice.amountPaid}`,
      reference: `cs_${invoice.invoiceId}`,
    };
  }

  /** The event a body stands for once its signature is accepted. */
  willRead(rawBody: string, event: PaymentEvent): this {
    this.events.set(rawBody, event);
    return this;
  }

  async verifyWebhook(rawBody: string, headers: Record<string, string | undefined>): Promise<PaymentEvent> {
    if (headers['stripe-signature'] !== 'valid')
      throw new PaymentEventSignatureError('does not match the body');
    const event = this.events.get(rawBody);
    if (!event) throw new Error(`No event queued for ${rawBody}`);
    return event;
  }
}
