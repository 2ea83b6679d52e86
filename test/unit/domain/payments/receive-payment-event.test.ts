import { beforeEach, describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import type { Invoice } from '../../../../lambdas/domain/invoicing/invoice.ts';
import {
  type PaymentEventDependencies,
  receivePaymentEvent,
} from '../../../../lambdas/domain/payments/receive-payment-event.ts';
import type { CardPayment, PaymentEvent } from '../../../../lambdas/ports/payments.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../../../../lambdas/shared/errors.ts';
import { anAgreement } from '../../../fixtures/agreement-records.ts';
import {
  aCustomer,
  aLocation,
  anInvoice,
  aServiceType,
  aTechnician,
  aTenant,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryAgreements } from '../../fakes/in-memory-agreements.ts';
import { InMemoryBlobStore } from '../../fakes/in-memory-blob-store.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryPaymentRecords } from '../../fakes/in-memory-payment-records.ts';
import { InMemoryPhotoStore } from '../../fakes/in-memory-photo-store.ts';
import { InMemoryReceivables } from '../../fakes/in-memory-receivables.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { RecordingPayments } from '../../fakes/recording-payments.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-20T16:00:00.000Z';
const awaitPayment = {
  workflowState: 'AwaitPayment',
  taskToken: 'token-AwaitPayment',
  waitingWhile: ['invoiced' as const],
};

const aCardPayment = (overrides: Partial<CardPayment> = {}): CardPayment => ({
  tenantId: 'ten_acme',
  workOrderId: 'wo_existing',
  invoiceId: 'inv_existing',
  amount: 31858,
  currency: 'USD',
  reference: 'pi_3Q0001',
  ...overrides,
});

const paid = (eventId: string, payment: CardPayment = aCardPayment()): PaymentEvent => ({
  eventId,
  type: 'checkout.session.completed',
  kind: 'paymentSucceeded',
  payment,
});

/** The first quarter's invoice of the fixture agreement, as billing leaves it once sent. */
const agreementId = anAgreement().agreementId;
const agreementInvoiceId = 'inv_agr_quarter_1';
const anAgreementInvoice = (overrides: Partial<Invoice> = {}): Invoice =>
  anInvoice({
    workOrderId: agreementId,
    invoiceId: agreementInvoiceId,
    status: 'sent',
    lines: [
      {
        description: 'Comfort Club, 2025-03-01 to 2025-05-31',
        quantity: 1,
        unit: 'period',
        unitPrice: 8_900,
        amount: 8_900,
      },
    ],
    subtotal: 8_900,
    total: 8_900,
    dueDate: '2025-03-15',
    sentAt: '2025-03-01T14:00:00.000Z',
    version: 3,
    ...overrides,
  });
const anAgreementCardPayment = (overrides: Partial<CardPayment> = {}): CardPayment =>
  aCardPayment({
    workOrderId: agreementId,
    invoiceId: agreementInvoiceId,
    amount: 8_900,
    reference: 'pi_3Q0042',
    ...overrides,
  });

describe('receivePaymentEvent', () => {
  let workOrders: InMemoryWorkOrderStore;
  let agreements: InMemoryAgreements;
  let scheduler: RecordingScheduler;
  let workflow: RecordingWorkflow;
  let payments: RecordingPayments;
  let paymentRecords: InMemoryPaymentRecords;
  let failures: string[];
  let dependencies: PaymentEventDependencies;

  /** Delivers a body the provider signed (or, with `signature`, one it did not). */
  const deliver = (body: string, signature = 'valid') =>
    receivePaymentEvent(dependencies, body, { 'stripe-signature': signature });
  const stored = () => workOrders.get('ten_acme', 'wo_existing');
  const invoice = () => workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing');

  beforeEach(() => {
    const directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(aLocation())
      .addServiceType('ten_acme', aServiceType())
      .addTechnician('ten_acme', aTechnician());
    workOrders = new InMemoryWorkOrderStore(directory);
    workflow = new RecordingWorkflow();
    payments = new RecordingPayments();
    agreements = new InMemoryAgreements();
    scheduler = new RecordingScheduler();
    paymentRecords = new InMemoryPaymentRecords(workOrders, agreements);
    failures = [];
    dependencies = {
      workOrders,
      directory,
      workflow,
      events: new RecordingEventPublisher(),
      clock: new SettableClock(now),
      ids: new SequentialIds(),
      reportFailure: (message) => failures.push(message),
      travelTimes: (settings) => new StraightLineTravel(settings.averageSpeedKmh),
      photos: new InMemoryPhotoStore(),
      blobs: new InMemoryBlobStore(),
      payments,
      paymentRecords,
      agreementPayments: { agreements, receivables: new InMemoryReceivables(), scheduler },
    };
    workOrders.put(aWorkOrderAt('invoiced', { version: 10, ...awaitPayment }));
    workOrders.putInvoice(anInvoice({ status: 'sent', version: 3 }));
  });

  it('when a paid checkout of the whole balance arrives, it records a card payment as the payments system, the work order is paid and AwaitPayment resumes', async () => {
    // Arrange
    payments.willRead('body-1', paid('evt_1'));

    // Act
    const outcome = await deliver('body-1');

    // Assert
    expect(outcome).toMatchObject({
      outcome: 'recorded',
      eventId: 'evt_1',
      amount: 31858,
      status: 'paid',
    });
    expect(workOrders.paymentsOf('ten_acme', 'wo_existing')).toEqual([
      expect.objectContaining({
        paymentId: outcome.outcome === 'recorded' ? outcome.paymentId : 'none',
        amount: 31858,
        method: 'card',
        reference: 'pi_3Q0001',
        recordedBy: 'payments',
        at: now,
      }),
    ]);
    expect(await stored()).toMatchObject({ status: 'paid', paidAt: now });
    expect(await invoice()).toMatchObject({ status: 'paid', amountPaid: 31858 });
    expect(workflow.successes).toEqual([
      { taskToken: 'token-AwaitPayment', output: { status: 'paid', version: 11 } },
    ]);
    expect(workOrders.eventsOf('ten_acme', 'wo_existing').at(-1)).toMatchObject({
      action: 'recordPayment',
      actorId: 'payments',
      actorRole: 'system',
    });
    expect(paymentRecords.events.get('ten_acme#evt_1')).toMatchObject({ state: 'processed' });
  });

  it('when part of the balance is paid, the work order stays invoiced and waiting, with the rest owed', async () => {
    // Arrange
    payments.willRead('body-1', paid('evt_1', aCardPayment({ amount: 10_000 })));

    // Act
    const outcome = await deliver('body-1');

    // Assert
    expect(outcome).toMatchObject({ outcome: 'recorded', status: 'invoiced' });
    expect(await stored()).toMatchObject({ status: 'invoiced', taskToken: 'token-AwaitPayment' });
    expect(await invoice()).toMatchObject({ status: 'partially_paid', amountPaid: 10_000 });
    expect(workflow.successes).toEqual([]);
  });

  it('when the same event is delivered again, it answers as a duplicate and changes nothing', async () => {
    // Arrange
    payments.willRead('body-1', paid('evt_1', aCardPayment({ amount: 10_000 })));
    await deliver('body-1');
    const before = { workOrder: await stored(), invoice: await invoice() };

    // Act
    const outcome = await deliver('body-1');

    // Assert
    expect(outcome).toMatchObject({ outcome: 'duplicate', eventId: 'evt_1' });
    expect(workOrders.paymentsOf('ten_acme', 'wo_existing')).toHaveLength(1);
    expect({ workOrder: await stored(), invoice: await invoice() }).toEqual(before);
  });

  it("when the payment's own event follows the checkout's, the payment is not recorded twice", async () => {
    // Arrange
    payments.willRead('checkout', paid('evt_1', aCardPayment({ amount: 10_000 }))).willRead('intent', {
      ...paid('evt_2', aCardPayment({ amount: 10_000 })),
      type: 'payment_intent.succeeded',
    });
    await deliver('checkout');

    // Act
    const outcome = await deliver('intent');

    // Assert
    expect(outcome).toMatchObject({ outcome: 'duplicate', eventId: 'evt_2' });
    expect(workOrders.paymentsOf('ten_acme', 'wo_existing')).toHaveLength(1);
    expect(paymentRecords.events.get('ten_acme#evt_2')).toMatchObject({ state: 'processed' });
  });

  it("when the payment's own event is recorded while the checkout's is being recorded, the loser answers as a duplicate, not as a failure", async () => {
    // Arrange
    payments
      .willRead('checkout', paid('evt_1'))
      .willRead('intent', { ...paid('evt_2'), type: 'payment_intent.succeeded' });
    const recordFirst = workOrders.apply.bind(workOrders);
    let raced = false;
    workOrders.apply = async (change) => {
      // The intent's event wins the race between the checkout's check and its write.
      if (!raced && change.payment) {
        raced = true;
        await deliver('intent');
      }
      return recordFirst(change);
    };

    // Act
    const outcome = await deliver('checkout');

    // Assert
    expect(outcome).toMatchObject({ outcome: 'duplicate', eventId: 'evt_1' });
    expect(workOrders.paymentsOf('ten_acme', 'wo_existing')).toHaveLength(1);
    expect(failures).toEqual([]);
    expect(paymentRecords.events.get('ten_acme#evt_1')).toMatchObject({ state: 'processed' });
  });

  it('when the signature does not verify, it is refused with 400 naming the header, and nothing is written', async () => {
    // Arrange
    payments.willRead('body-1', paid('evt_1'));

    // Act
    const error = await rejectionOf(deliver('body-1', 't=1,v1=forged'));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      { field: 'header.stripe-signature', message: 'does not match the body' },
    ]);
    expect(workOrders.paymentsOf('ten_acme', 'wo_existing')).toEqual([]);
    expect(paymentRecords.events.size).toBe(0);
  });

  it.each([
    [
      'an event that is not a payment',
      { eventId: 'evt_9', type: 'customer.created', kind: 'ignored', reason: 'no' },
    ],
    [
      'a payment of a work order this deployment does not have',
      paid('evt_9', aCardPayment({ workOrderId: 'wo_elsewhere' })),
    ],
    ['a payment naming another invoice', paid('evt_9', aCardPayment({ invoiceId: 'inv_other' }))],
    ['a payment in another currency', paid('evt_9', aCardPayment({ currency: 'EUR' }))],
  ] as const)('when %s arrives, it is acknowledged and nothing is written', async (_, event) => {
    // Arrange
    payments.willRead('body-9', event as PaymentEvent);

    // Act
    const outcome = await deliver('body-9');

    // Assert
    expect(outcome).toMatchObject({ outcome: 'ignored', eventId: 'evt_9' });
    expect(workOrders.paymentsOf('ten_acme', 'wo_existing')).toEqual([]);
    expect(paymentRecords.events.size).toBe(0);
    // Money taken for one of our work orders that cannot be recorded reaches the office.
    expect(failures).toHaveLength(
      event.kind === 'paymentSucceeded' && event.payment.workOrderId === 'wo_existing' ? 1 : 0,
    );
  });

  it('when another delivery of the event is still at work, it answers 409 so the provider retries later', async () => {
    // Arrange
    payments.willRead('body-1', paid('evt_1'));
    paymentRecords.seedEvent('ten_acme', 'evt_1', 'processing');

    // Act
    const error = await rejectionOf(deliver('body-1'));

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
    expect(workOrders.paymentsOf('ten_acme', 'wo_existing')).toEqual([]);
  });

  it('when the payment cannot be recorded, the office is told, the claim is freed for a retry and the error answers', async () => {
    // Arrange
    payments.willRead('body-1', paid('evt_1', aCardPayment({ amount: 40_000 })));

    // Act
    const error = await rejectionOf(deliver('body-1'));

    // Assert
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(failures).toEqual(['Payment pi_3Q0001 of wo_existing was not recorded']);
    expect(paymentRecords.events.has('ten_acme#evt_1')).toBe(false);
    expect(await invoice()).toMatchObject({ status: 'sent', amountPaid: 0 });
  });

  describe("an agreement's period invoice paid by card", () => {
    const overdueCheck = `invoice-overdue-${agreementInvoiceId}`;
    const agreementInvoice = () => agreements.invoice('ten_acme', agreementId, agreementInvoiceId);

    beforeEach(async () => {
      agreements.put(anAgreement());
      await agreements.createInvoice(anAgreementInvoice());
      await scheduler.put({
        name: overdueCheck,
        at: '2025-03-16T09:00:00',
        timeZone: 'America/New_York',
        payload: {
          kind: 'invoice-overdue',
          tenantId: 'ten_acme',
          workOrderId: agreementId,
          invoiceId: agreementInvoiceId,
          check: 1,
        },
      });
    });

    it('when its paid checkout arrives, one card payment is recorded with the provider reference, the invoice is paid and its overdue check is deleted', async () => {
      // Arrange
      payments.willRead('body-agr', paid('evt_agr', anAgreementCardPayment()));

      // Act
      const outcome = await deliver('body-agr');

      // Assert
      expect(outcome).toMatchObject({
        outcome: 'recorded',
        eventId: 'evt_agr',
        workOrderId: agreementId,
        invoiceId: agreementInvoiceId,
        amount: 8_900,
        status: 'paid',
      });
      expect(agreements.payments).toEqual([
        {
          tenantId: 'ten_acme',
          workOrderId: agreementId,
          invoiceId: agreementInvoiceId,
          paymentId: outcome.outcome === 'recorded' ? outcome.paymentId : 'none',
          amount: 8_900,
          method: 'card',
          reference: 'pi_3Q0042',
          recordedBy: 'payments',
          at: now,
        },
      ]);
      expect(await agreementInvoice()).toMatchObject({ status: 'paid', amountPaid: 8_900, version: 4 });
      expect(scheduler.schedules.has(overdueCheck)).toBe(false);
      expect(scheduler.deleted).toEqual([overdueCheck]);
      expect(paymentRecords.events.get('ten_acme#evt_agr')).toMatchObject({ state: 'processed' });
      // The work order of the same tenant is not touched.
      expect(workOrders.paymentsOf('ten_acme', 'wo_existing')).toEqual([]);
      expect(workflow.successes).toEqual([]);
      expect(failures).toEqual([]);
    });

    it('when part of it is paid, it is partially paid and its overdue check stays', async () => {
      // Arrange
      payments.willRead('body-agr', paid('evt_agr', anAgreementCardPayment({ amount: 3_000 })));

      // Act
      const outcome = await deliver('body-agr');

      // Assert
      expect(outcome).toMatchObject({ outcome: 'recorded', status: 'partially_paid', amount: 3_000 });
      expect(await agreementInvoice()).toMatchObject({ status: 'partially_paid', amountPaid: 3_000 });
      expect(scheduler.schedules.has(overdueCheck)).toBe(true);
      expect(scheduler.deleted).toEqual([]);
    });

    it('when the same event of a part payment is delivered again, it answers as a duplicate and changes nothing', async () => {
      // Arrange
      payments.willRead('body-agr', paid('evt_agr', anAgreementCardPayment({ amount: 3_000 })));
      await deliver('body-agr');
      const before = { invoice: await agreementInvoice(), payments: structuredClone(agreements.payments) };

      // Act
      const outcome = await deliver('body-agr');

      // Assert
      expect(outcome).toMatchObject({
        outcome: 'duplicate',
        eventId: 'evt_agr',
        workOrderId: agreementId,
        invoiceId: agreementInvoiceId,
      });
      expect({ invoice: await agreementInvoice(), payments: agreements.payments }).toEqual(before);
      expect(agreements.payments).toHaveLength(1);
      expect(await agreementInvoice()).toMatchObject({ status: 'partially_paid', amountPaid: 3_000 });
      expect(failures).toEqual([]);
    });

    it("when the payment's own event follows the checkout that paid it in full, it answers as a duplicate and no one is told", async () => {
      // Arrange
      payments.willRead('checkout-agr', paid('evt_agr_1', anAgreementCardPayment())).willRead('intent-agr', {
        ...paid('evt_agr_2', anAgreementCardPayment()),
        type: 'payment_intent.succeeded',
      });
      await deliver('checkout-agr');
      const before = { invoice: await agreementInvoice(), payments: structuredClone(agreements.payments) };

      // Act
      const outcome = await deliver('intent-agr');

      // Assert
      expect(before.invoice?.status).toBe('paid');
      expect(outcome).toMatchObject({ outcome: 'duplicate', eventId: 'evt_agr_2' });
      expect({ invoice: await agreementInvoice(), payments: agreements.payments }).toEqual(before);
      expect(failures).toEqual([]);
    });

    it('when the invoice was voided since, the event is acknowledged as ignored, nothing is written and the office is told', async () => {
      // Arrange
      const sent = await agreementInvoice();
      if (!sent) throw new Error('the agreement invoice was not arranged');
      await agreements.updateInvoice(sent, { ...sent, status: 'void', version: sent.version + 1 });
      payments.willRead('body-agr', paid('evt_agr', anAgreementCardPayment()));

      // Act
      const outcome = await deliver('body-agr');

      // Assert
      expect(outcome).toMatchObject({ outcome: 'ignored', eventId: 'evt_agr' });
      expect(agreements.payments).toEqual([]);
      expect(await agreementInvoice()).toMatchObject({ status: 'void', amountPaid: 0 });
      expect(paymentRecords.events.size).toBe(0);
      expect(scheduler.deleted).toEqual([]);
      expect(failures).toEqual([
        `Payment pi_3Q0042 of ${agreementId} was not recorded: invoice ${agreementInvoiceId} is void`,
      ]);
    });

    it('when it names an invoice the agreement does not have, it is acknowledged as ignored and no one is told', async () => {
      // Arrange
      payments.willRead(
        'body-agr',
        paid('evt_agr', anAgreementCardPayment({ invoiceId: 'inv_agr_elsewhere' })),
      );

      // Act
      const outcome = await deliver('body-agr');

      // Assert
      expect(outcome).toMatchObject({ outcome: 'ignored', eventId: 'evt_agr' });
      expect(agreements.payments).toEqual([]);
      expect(paymentRecords.events.size).toBe(0);
      expect(failures).toEqual([]);
    });
  });
});
