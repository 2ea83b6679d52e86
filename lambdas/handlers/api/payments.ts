import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  agreementStore,
  blobStore,
  clock,
  idempotencyStore,
  ids,
  invoiceStore,
  paymentRecords,
  payments,
  receivablesStore,
  scheduler,
  tenantWriteLimiter,
  workOrderDependencies,
} from '../../adapters/dependencies.ts';
import {
  type FindInvoice,
  type InvoicePayments,
  invoicePayments,
  invoicePdfLink,
  recordInvoicePayment,
} from '../../domain/payments/invoice-payments.ts';
import { receivePaymentEvent } from '../../domain/payments/receive-payment-event.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { logger, metrics } from '../../shared/powertools.ts';
import { paymentRoutes } from './payment-routes.ts';

/** An invoice by its id, a replacement of a voided one included. */
const findInvoice: FindInvoice = (tenantId, invoiceId) => invoiceStore().find(tenantId, invoiceId);

const agreementPaymentDependencies = () => ({
  agreements: agreementStore(),
  receivables: receivablesStore(),
  scheduler: scheduler(),
});

const toInvoicePaymentsView = ({ invoice, balance, payments: items }: InvoicePayments) => ({
  invoiceId: invoice.invoiceId,
  workOrderId: invoice.workOrderId,
  status: invoice.status,
  currency: invoice.currency,
  total: invoice.total,
  amountPaid: invoice.amountPaid,
  balance,
  items: items.map((payment) => ({
    id: payment.paymentId,
    invoiceId: payment.invoiceId,
    amount: payment.amount,
    method: payment.method,
    ...(payment.reference ? { reference: payment.reference } : {}),
    status: 'succeeded' as const,
    recordedBy: payment.recordedBy,
    at: payment.at,
  })),
});

export const handler = apiHandler(
  'payments',
  paymentRoutes,
  {
    receiveStripeEvent: async ({ rawBody, headers }) => {
      const result = await receivePaymentEvent(
        {
          ...workOrderDependencies(),
          payments: payments(),
          paymentRecords: paymentRecords(),
          agreementPayments: agreementPaymentDependencies(),
        },
        rawBody ?? '',
        headers,
      );
      logger.info('Payment event received', { ...result });
      if (result.outcome === 'recorded') metrics.addMetric('CardPaymentsRecorded', MetricUnit.Count, 1);
      return {
        status: 200,
        body: {
          received: true,
          eventId: result.eventId,
          outcome: result.outcome,
          ...(result.outcome === 'recorded' ? { paymentId: result.paymentId } : {}),
          ...(result.outcome === 'ignored' ? { reason: result.reason } : {}),
        },
      };
    },
    listInvoicePayments: async ({ actor, params }) => ({
      status: 200,
      body: toInvoicePaymentsView(
        await invoicePayments({ findInvoice, paymentRecords: paymentRecords() }, actor, params.id),
      ),
    }),
    recordInvoicePayment: async ({ actor, params, body }) => ({
      status: 201,
      body: toInvoicePaymentsView(
        await recordInvoicePayment(
          {
            findInvoice,
            paymentRecords: paymentRecords(),
            workOrders: workOrderDependencies(),
            agreements: { ...agreementPaymentDependencies(), clock, ids },
          },
          actor,
          params.id,
          body,
        ),
      ),
    }),
    getInvoicePdf: async ({ actor, params }) => ({
      status: 200,
      body: await invoicePdfLink({ findInvoice, blobs: blobStore(), clock }, actor, params.id),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
