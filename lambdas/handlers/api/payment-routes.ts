import { invoiceIdPath } from '../../schemas/invoices.ts';
import { invoicePaymentsView, invoicePdfLinkView, paymentEventAnswer } from '../../schemas/payments.ts';
import { paymentBody } from '../../schemas/work-orders.ts';
import { office } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

/** Online payments (the provider's webhook) and what the office reads of an invoice's payments. */
export const paymentRoutes = [
  defineRoute({
    operationId: 'receiveStripeEvent',
    method: 'POST',
    path: '/v1/payments/stripe/webhook',
    summary:
      "Stripe's webhook: a signed event (Stripe-Signature, HMAC-SHA256, at most 300 seconds old) is acted on once per event id; a paid checkout or payment records the payment on its invoice. A bad signature is refused with 400 and changes nothing",
    tags: ['payments'],
    function: 'payments',
    auth: 'public',
    rawBody: true,
    responses: {
      200: {
        description: 'Received: recorded, a repeat, or not a payment of ours',
        schema: paymentEventAnswer,
      },
      400: { description: 'The signature is missing, wrong, or outside the tolerance' },
    },
  }),
  defineRoute({
    operationId: 'listInvoicePayments',
    method: 'GET',
    path: '/v1/invoices/{id}/payments',
    summary:
      "The invoice's payments (cash, check, card), oldest first, with its status, what is paid and the balance",
    tags: ['payments'],
    function: 'payments',
    auth: { roles: office },
    request: { params: invoiceIdPath },
    responses: { 200: { description: 'The payments and the balance', schema: invoicePaymentsView } },
  }),
  defineRoute({
    operationId: 'recordInvoicePayment',
    method: 'POST',
    path: '/v1/invoices/{id}/payments',
    summary:
      "Record a payment the office took (cash, check, card, bank transfer) on any open invoice, a work order's or a service agreement's: paid at a zero balance (a work order's workflow then closes). 409 for a draft, paid or void invoice; 422 above the balance",
    tags: ['payments'],
    function: 'payments',
    auth: { roles: office },
    request: { params: invoiceIdPath, body: paymentBody },
    responses: { 201: { description: 'The payments and the balance after it', schema: invoicePaymentsView } },
  }),
  defineRoute({
    operationId: 'getInvoicePdf',
    method: 'GET',
    path: '/v1/invoices/{id}/pdf',
    summary:
      'A link, valid for 15 minutes, to the invoice PDF written when the invoice was sent (409 before)',
    tags: ['payments'],
    function: 'payments',
    auth: { roles: office },
    request: { params: invoiceIdPath },
    responses: { 200: { description: 'The download link', schema: invoicePdfLinkView } },
  }),
] as const;
