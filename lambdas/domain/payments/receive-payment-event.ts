import type { CardPayment, PaymentRecords, Payments } from '../../ports/payments.ts';
import { PaymentEventSignatureError } from '../../ports/payments.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import {
  type AgreementPaymentDependencies,
  recordAgreementPayment,
} from '../agreements/agreement-payments.ts';
import type { Actor } from '../shared/actor.ts';
import { type ActionDependencies, performAction } from '../work-orders/perform-action.ts';

/** The header that carries the provider's signature (Stripe's scheme: `t=<unix seconds>,v1=<HMAC-SHA256>`). */
export const signatureHeader = 'stripe-signature';

/** How long a claimed event stays claimed by a delivery that never finished (a crashed function). */
const claimLockSeconds = 60;

/** Online payments are recorded as the payments system, never as a person. */
export const paymentsActor = (tenantId: string): Actor => ({ tenantId, id: 'payments', role: 'system' });

export interface PaymentEventDependencies extends ActionDependencies {
  payments: Pick<Payments, 'verifyWebhook'>;
  paymentRecords: PaymentRecords;
  /** A service agreement's period invoices are paid through the same webhook. */
  agreementPayments: Omit<AgreementPaymentDependencies, 'clock' | 'ids'>;
}

/** An agreement's invoices live in its item collection: their `workOrderId` is the agreement's id. */
const billsAgreement = (payment: Pick<CardPayment, 'workOrderId'>) => payment.workOrderId.startsWith('agr_');

export type PaymentEventOutcome =
  | {
      eventId: string;
      type: string;
      outcome: 'recorded';
      workOrderId: string;
      invoiceId: string;
      paymentId: string;
      amount: number;
      /** The work order's status after the payment; for an agreement's invoice, the invoice's. */
      status: string;
    }
  | { eventId: string; type: string; outcome: 'duplicate'; workOrderId: string; invoiceId: string }
  | { eventId: string; type: string; outcome: 'ignored'; reason: string };

/**
 * Acts once on a payment event the provider posted to the webhook.
 * 1. Verifies the signature over the body as received and the timestamp (400 naming the
 *    signature header otherwise; nothing is written).
 * 2. Acknowledges events that carry no payment of an invoice of ours, and changes nothing.
 * 3. Claims the event id with a conditional put: a repeated delivery changes nothing.
 * 4. Records the payment through the same transition as a payment taken by the office
 *    (`recordPayment` of the work order, or the agreement invoice's payment; method `card`, the
 *    provider's payment id as reference) — unless a payment with that reference is recorded
 *    already (the checkout's and the payment's events tell of the same money).
 * 5. Marks the event processed; a failure frees the claim, so the provider's retry runs again.
 */
export async function receivePaymentEvent(
  dependencies: PaymentEventDependencies,
  rawBody: string,
  headers: Record<string, string | undefined>,
): Promise<PaymentEventOutcome> {
  const event = await verified(dependencies, rawBody, headers);
  const { eventId, type } = event;
  if (event.kind === 'ignored') return { eventId, type, outcome: 'ignored', reason: event.reason };

  const { payment } = event;
  const unknown = await whyUnknown(dependencies, payment);
  if (unknown) {
    // Money taken for a work order of ours that cannot take it (its invoice voided since the
    // checkout was made): acknowledged, so the provider stops retrying, and the office is told.
    if (unknown.ours) {
      dependencies.reportFailure(
        `Payment ${payment.reference} of ${payment.workOrderId} was not recorded: ${unknown.reason}`,
        new Error(unknown.reason),
      );
    }
    return { eventId, type, outcome: 'ignored', reason: unknown.reason };
  }

  const { paymentRecords } = dependencies;
  const claim = await paymentRecords.claimEvent(
    { tenantId: payment.tenantId, eventId, type, workOrderId: payment.workOrderId },
    claimLockSeconds,
  );
  const done = { eventId, type, workOrderId: payment.workOrderId, invoiceId: payment.invoiceId };
  if (claim === 'processed') return { ...done, outcome: 'duplicate' };
  if (claim === 'inProgress') {
    throw new ConflictError(`Event ${eventId} is being processed by another delivery; retry later`, {
      eventId,
    });
  }
  try {
    const recorded = await paymentRecords.paymentsOf(payment.tenantId, payment.workOrderId);
    if (recorded.some((existing) => existing.reference === payment.reference)) {
      await paymentRecords.completeEvent(payment.tenantId, eventId, {});
      return { ...done, outcome: 'duplicate' };
    }
    const status = await record(dependencies, payment);
    const paymentId = (await paymentRecords.paymentsOf(payment.tenantId, payment.workOrderId)).find(
      (existing) => existing.reference === payment.reference,
    )?.paymentId;
    await paymentRecords.completeEvent(payment.tenantId, eventId, paymentId ? { paymentId } : {});
    return {
      ...done,
      outcome: 'recorded',
      paymentId: paymentId ?? '',
      amount: payment.amount,
      status,
    };
  } catch (error) {
    // The checkout's and the payment's events arriving at once: the other one recorded it.
    const recordedMeanwhile = await paymentRecords
      .paymentsOf(payment.tenantId, payment.workOrderId)
      .then((recorded) => recorded.some((existing) => existing.reference === payment.reference))
      .catch(() => false);
    if (recordedMeanwhile) {
      await paymentRecords.completeEvent(payment.tenantId, eventId, {});
      return { ...done, outcome: 'duplicate' };
    }
    await paymentRecords.releaseEvent(payment.tenantId, eventId).catch(() => undefined);
    // Money was taken that could not be recorded (more than the balance, the work order moved on):
    // the office must hear of it, whatever the provider does with the answer.
    dependencies.reportFailure(
      `Payment ${payment.reference} of ${payment.workOrderId} was not recorded`,
      error,
    );
    throw error;
  }
}

async function verified(
  dependencies: PaymentEventDependencies,
  rawBody: string,
  headers: Record<string, string | undefined>,
) {
  try {
    return await dependencies.payments.verifyWebhook(rawBody, headers);
  } catch (error) {
    if (!(error instanceof PaymentEventSignatureError)) throw error;
    throw new ValidationError([{ field: `header.${signatureHeader}`, message: error.message }]);
  }
}

/**
 * Why a payment cannot be recorded here, if it cannot: events of another deployment sharing the
 * provider account name work orders this one does not have; a payment of an invoice voided
 * since its checkout was made names an invoice the work order no longer bills (`ours`).
 */
async function whyUnknown(
  dependencies: PaymentEventDependencies,
  payment: CardPayment,
): Promise<{ reason: string; ours: boolean } | undefined> {
  if (billsAgreement(payment)) {
    const invoice = await dependencies.agreementPayments.agreements.invoice(
      payment.tenantId,
      payment.workOrderId,
      payment.invoiceId,
    );
    if (!invoice) {
      return {
        reason: `no invoice ${payment.invoiceId} of agreement ${payment.workOrderId} in tenant ${payment.tenantId}`,
        ours: false,
      };
    }
    // A paid invoice is not refused here: the other event of the same payment finds it paid
    // and is a duplicate; a second payment of it is refused when recorded, and the office told.
    if (invoice.status === 'void' || invoice.status === 'draft') {
      return { reason: `invoice ${payment.invoiceId} is ${invoice.status}`, ours: true };
    }
    return currencyMismatch(invoice.currency, payment);
  }
  const workOrder = await dependencies.workOrders.get(payment.tenantId, payment.workOrderId);
  if (!workOrder)
    return { reason: `no work order ${payment.workOrderId} in tenant ${payment.tenantId}`, ours: false };
  if (workOrder.invoiceId !== payment.invoiceId) {
    return {
      reason: `work order ${payment.workOrderId} does not bill invoice ${payment.invoiceId}`,
      ours: true,
    };
  }
  const invoice = await dependencies.workOrders.getInvoice(
    payment.tenantId,
    payment.workOrderId,
    payment.invoiceId,
  );
  if (!invoice) return { reason: `no invoice ${payment.invoiceId}`, ours: true };
  return currencyMismatch(invoice.currency, payment);
}

function currencyMismatch(invoiced: string, payment: CardPayment) {
  return invoiced.toUpperCase() === payment.currency.toUpperCase()
    ? undefined
    : { reason: `paid in ${payment.currency}, invoiced in ${invoiced}`, ours: true };
}

/** Records the card payment on the invoice it pays; answers the status that follows. */
async function record(dependencies: PaymentEventDependencies, payment: CardPayment): Promise<string> {
  const actor = paymentsActor(payment.tenantId);
  const details = { amount: payment.amount, method: 'card' as const, reference: payment.reference };
  if (billsAgreement(payment)) {
    const { invoice } = await recordAgreementPayment(
      { ...dependencies.agreementPayments, clock: dependencies.clock, ids: dependencies.ids },
      actor,
      { agreementId: payment.workOrderId, invoiceId: payment.invoiceId, ...details },
    );
    return invoice.status;
  }
  const workOrder = await performAction(dependencies, actor, payment.workOrderId, {
    action: 'recordPayment',
    ...details,
  });
  return workOrder.status;
}
