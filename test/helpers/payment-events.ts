import Stripe from 'stripe';
import { ulid } from 'ulid';
import { inject } from 'vitest';
import type { Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import type { Invoice } from '../../lambdas/domain/invoicing/invoice.ts';
import type { WorkOrder } from '../../lambdas/domain/work-orders/work-order.ts';

/** An invoice of the work order, written straight to the table as the workflow leaves it once sent. */
export async function aSentInvoice(
  entities: Entities,
  workOrder: WorkOrder,
  overrides: Partial<Invoice> = {},
): Promise<Invoice> {
  const at = new Date().toISOString();
  const invoice: Invoice = {
    tenantId: workOrder.tenantId,
    workOrderId: workOrder.workOrderId,
    invoiceId: `inv_${workOrder.workOrderId.slice('wo_'.length)}`,
    customerId: workOrder.customerId,
    status: 'sent',
    currency: 'USD',
    lines: [
      { description: 'Labor: AC repair', quantity: 1.5, unit: 'hour', unitPrice: 12_000, amount: 18_000 },
    ],
    subtotal: 18_000,
    tax: 0,
    total: 18_000,
    amountPaid: 0,
    dueDate: '2030-01-15',
    sentAt: at,
    version: 2,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
  await entities.invoice.put(invoice).go();
  return invoice;
}

/** A Stripe `checkout.session.completed` event paying `amount` of the invoice, as Stripe would post it. */
export function aCheckoutCompleted(
  invoice: Pick<Invoice, 'tenantId' | 'workOrderId' | 'invoiceId'>,
  amount: number,
  overrides: { eventId?: string; paymentIntentId?: string } = {},
): { eventId: string; paymentIntentId: string; body: string } {
  const eventId = overrides.eventId ?? `evt_${ulid()}`;
  const paymentIntentId = overrides.paymentIntentId ?? `pi_${ulid()}`;
  const metadata = {
    tenantId: invoice.tenantId,
    workOrderId: invoice.workOrderId,
    invoiceId: invoice.invoiceId,
  };
  const body = JSON.stringify({
    id: eventId,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: `cs_test_${ulid()}`,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        amount_total: amount,
        currency: 'usd',
        client_reference_id: invoice.invoiceId,
        payment_intent: paymentIntentId,
        metadata,
      },
    },
  });
  return { eventId, paymentIntentId, body };
}

/** The `Stripe-Signature` of a body, signed with the platform's webhook secret (or another) at a time. */
export const stripeSignature = (body: string, options: { secret?: string; at?: Date } = {}): string =>
  Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: options.secret ?? inject('paymentsWebhookSecret'),
    timestamp: Math.floor((options.at ?? new Date()).getTime() / 1000),
  });
