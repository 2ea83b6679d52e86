import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AgreementPaymentDependencies,
  recordAgreementPayment,
} from '../../../../lambdas/domain/agreements/agreement-payments.ts';
import type { Invoice, InvoiceStatus, Payment } from '../../../../lambdas/domain/invoicing/invoice.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../../../lambdas/shared/errors.ts';
import { anAgreement } from '../../../fixtures/agreement-records.ts';
import { aDispatcher, anInvoice } from '../../../fixtures/unit-records.ts';
import { InMemoryAgreements } from '../../fakes/in-memory-agreements.ts';
import { InMemoryReceivables } from '../../fakes/in-memory-receivables.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-01-20T15:00:00.000Z';
const agreementId = anAgreement().agreementId;
const invoiceId = 'inv_agr_quarter_1';
const overdueCheck = `invoice-overdue-${invoiceId}`;

/** The first quarter's invoice of the fixture agreement, sent and owing 89.00. */
const aPeriodInvoice = (overrides: Partial<Invoice> = {}): Invoice =>
  anInvoice({
    workOrderId: agreementId,
    invoiceId,
    status: 'sent',
    lines: [
      {
        description: 'Comfort Club, 2025-01-01 to 2025-03-31',
        quantity: 1,
        unit: 'period',
        unitPrice: 8_900,
        amount: 8_900,
      },
    ],
    subtotal: 8_900,
    total: 8_900,
    dueDate: '2025-01-15',
    sentAt: '2025-01-01T13:00:00.000Z',
    version: 3,
    ...overrides,
  });

describe('recordAgreementPayment', () => {
  let agreements: InMemoryAgreements;
  let receivables: InMemoryReceivables;
  let scheduler: RecordingScheduler;
  let clock: SettableClock;
  let deps: AgreementPaymentDependencies;

  const pay = (amount: number, extra: { method?: Payment['method']; reference?: string } = {}) =>
    recordAgreementPayment(deps, aDispatcher(), {
      agreementId,
      invoiceId,
      amount,
      method: extra.method ?? 'cash',
      ...(extra.reference ? { reference: extra.reference } : {}),
    });
  const stored = () => agreements.invoice('ten_acme', agreementId, invoiceId);

  /** Another payment of `amount` landing on the invoice, as a concurrent request would write it. */
  const paidElsewhere = async (
    amount: number,
    paymentId: string,
    write = agreements.recordPayment.bind(agreements),
  ) => {
    const current = await stored();
    if (!current) throw new Error('No invoice to pay');
    await write(
      current,
      {
        ...current,
        amountPaid: current.amountPaid + amount,
        status: 'partially_paid',
        version: current.version + 1,
      },
      {
        tenantId: 'ten_acme',
        workOrderId: agreementId,
        invoiceId,
        paymentId,
        amount,
        method: 'card',
        reference: `pi_${paymentId}`,
        recordedBy: 'payments',
        at: now,
      },
    );
  };

  /** The next `times` payment writes each find the invoice moved on by a payment made meanwhile. */
  const racedBy = (times: number, amount: number) => {
    const write = agreements.recordPayment.bind(agreements);
    let raced = 0;
    agreements.recordPayment = async (before, after, payment) => {
      if (raced < times) {
        raced += 1;
        await paidElsewhere(amount, `pay_elsewhere_${raced}`, write);
      }
      return write(before, after, payment);
    };
  };

  beforeEach(async () => {
    agreements = new InMemoryAgreements().put(anAgreement());
    await agreements.createInvoice(aPeriodInvoice());
    receivables = new InMemoryReceivables();
    scheduler = new RecordingScheduler();
    await scheduler.put({
      name: overdueCheck,
      at: '2025-01-16T09:00:00',
      timeZone: 'America/New_York',
      payload: {
        kind: 'invoice-overdue',
        tenantId: 'ten_acme',
        workOrderId: agreementId,
        invoiceId,
        check: 1,
      },
    });
    clock = new SettableClock(now);
    deps = { agreements, receivables, scheduler, clock, ids: new SequentialIds() };
  });

  it('when the office takes part of the balance and later the rest, the invoice is partially paid, then paid, and its overdue check goes only once nothing is owed', async () => {
    // Act
    const first = await pay(3_000);
    const afterFirst = { invoice: await stored(), pending: scheduler.schedules.has(overdueCheck) };
    clock.advance(60_000);
    const second = await pay(5_900, { method: 'check', reference: 'check 1042' });

    // Assert
    expect(first.invoice).toMatchObject({ status: 'partially_paid', amountPaid: 3_000, version: 4 });
    expect(afterFirst).toEqual({ invoice: first.invoice, pending: true });
    expect(second.invoice).toMatchObject({
      status: 'paid',
      amountPaid: 8_900,
      version: 5,
      updatedAt: '2025-01-20T15:01:00.000Z',
    });
    expect(await stored()).toEqual(second.invoice);
    expect(agreements.payments).toEqual([
      {
        tenantId: 'ten_acme',
        workOrderId: agreementId,
        invoiceId,
        paymentId: first.payment.paymentId,
        amount: 3_000,
        method: 'cash',
        recordedBy: 'user-dispatcher-1',
        at: now,
      },
      {
        tenantId: 'ten_acme',
        workOrderId: agreementId,
        invoiceId,
        paymentId: second.payment.paymentId,
        amount: 5_900,
        method: 'check',
        reference: 'check 1042',
        recordedBy: 'user-dispatcher-1',
        at: '2025-01-20T15:01:00.000Z',
      },
    ]);
    expect(first.payment.paymentId).not.toBe(second.payment.paymentId);
    expect(scheduler.schedules.has(overdueCheck)).toBe(false);
    expect(scheduler.deleted).toEqual([overdueCheck]);
  });

  it('when the overdue check has run once already, paying in full deletes the check waiting after it', async () => {
    // Arrange
    const next = `${overdueCheck}-2`;
    await scheduler.put({
      name: next,
      at: '2025-01-23T09:00:00',
      timeZone: 'America/New_York',
      payload: {
        kind: 'invoice-overdue',
        tenantId: 'ten_acme',
        workOrderId: agreementId,
        invoiceId,
        check: 2,
      },
    });
    receivables.reminders.set(`ten_acme#${agreementId}#${invoiceId}`, {
      tenantId: 'ten_acme',
      workOrderId: agreementId,
      invoiceId,
      checks: 1,
      sent: 1,
      lastCheckedAt: '2025-01-16T14:00:00.000Z',
      lastSentAt: '2025-01-16T14:00:00.000Z',
    });

    // Act
    const { invoice } = await pay(8_900, { method: 'bank_transfer' });

    // Assert
    expect(invoice.status).toBe('paid');
    expect(scheduler.deleted).toEqual([next]);
    expect(scheduler.schedules.has(next)).toBe(false);
  });

  it('when the amount is above the balance, it is refused with 422 naming body.amount and nothing is written', async () => {
    // Arrange
    await pay(3_000);
    const before = await stored();

    // Act
    const error = await rejectionOf(pay(5_901));

    // Assert
    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).extensions).toEqual({
      errors: [{ field: 'body.amount', message: 'at most the balance, 5900' }],
    });
    expect(await stored()).toEqual(before);
    expect(agreements.payments).toHaveLength(1);
    expect(scheduler.deleted).toEqual([]);
  });

  it.each<InvoiceStatus>(['paid', 'void', 'draft'])(
    'when the invoice is %s, it is refused with 409 and nothing is written',
    async (status) => {
      // Arrange
      const sent = await stored();
      if (!sent) throw new Error('No invoice arranged');
      await agreements.updateInvoice(sent, { ...sent, status, version: sent.version + 1 });
      const before = await stored();

      // Act
      const error = await rejectionOf(pay(1_000));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toEqual({ currentStatus: status });
      expect(await stored()).toEqual(before);
      expect(agreements.payments).toEqual([]);
      expect(scheduler.deleted).toEqual([]);
    },
  );

  it('when the invoice is unknown, or another tenant asks for it, it is not found and nothing is written', async () => {
    // Act
    const unknown = await rejectionOf(
      recordAgreementPayment(deps, aDispatcher(), {
        agreementId,
        invoiceId: 'inv_agr_unknown',
        amount: 1_000,
        method: 'cash',
      }),
    );
    const elsewhere = await rejectionOf(
      recordAgreementPayment(deps, aDispatcher({ tenantId: 'ten_other' }), {
        agreementId,
        invoiceId,
        amount: 1_000,
        method: 'cash',
      }),
    );

    // Assert
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as NotFoundError).extensions).toEqual({ resource: 'Invoice', id: 'inv_agr_unknown' });
    expect(elsewhere).toBeInstanceOf(NotFoundError);
    expect(await stored()).toMatchObject({ status: 'sent', amountPaid: 0, version: 3 });
    expect(agreements.payments).toEqual([]);
  });

  it('when another payment lands between the read and the write, it reads the invoice again and records both', async () => {
    // Arrange
    racedBy(1, 2_000);

    // Act
    const { invoice, payment } = await pay(3_000);

    // Assert
    expect(invoice).toMatchObject({ status: 'partially_paid', amountPaid: 5_000, version: 5 });
    expect(await stored()).toEqual(invoice);
    expect(agreements.payments.map((recorded) => [recorded.paymentId, recorded.amount])).toEqual([
      ['pay_elsewhere_1', 2_000],
      [payment.paymentId, 3_000],
    ]);
  });

  it('when the payment that landed meanwhile leaves less owed than the amount, it is refused with 422 and only that payment stands', async () => {
    // Arrange
    racedBy(1, 2_000);

    // Act
    const error = await rejectionOf(pay(8_900));

    // Assert
    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).extensions).toEqual({
      errors: [{ field: 'body.amount', message: 'at most the balance, 6900' }],
    });
    expect(await stored()).toMatchObject({ status: 'partially_paid', amountPaid: 2_000 });
    expect(agreements.payments.map((recorded) => recorded.paymentId)).toEqual(['pay_elsewhere_1']);
    expect(scheduler.deleted).toEqual([]);
  });

  it('when the invoice changes before every one of five writes, it gives up with 409 and records nothing of its own', async () => {
    // Arrange
    racedBy(5, 100);

    // Act
    const error = await rejectionOf(pay(1_000));

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
    expect(await stored()).toMatchObject({ amountPaid: 500, version: 8 });
    expect(agreements.payments.map((recorded) => recorded.recordedBy)).toEqual(Array(5).fill('payments'));
  });
});
