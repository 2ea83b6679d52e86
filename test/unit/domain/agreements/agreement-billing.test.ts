import { beforeEach, describe, expect, it } from 'vitest';
import { billingScheduleName } from '../../../../lambdas/domain/agreements/agreement.ts';
import {
  type AgreementBillingDependencies,
  billAgreementPeriod,
} from '../../../../lambdas/domain/agreements/agreement-billing.ts';
import { instantOfWallClock } from '../../../../lambdas/domain/shared/schedule-time.ts';
import { agreementBillingPayload } from '../../../../lambdas/schemas/schedule-payloads.ts';
import { anAgreement } from '../../../fixtures/agreement-records.ts';
import { aCustomer, aTenant } from '../../../fixtures/unit-records.ts';
import { InMemoryAgreements } from '../../fakes/in-memory-agreements.ts';
import { InMemoryBlobStore } from '../../fakes/in-memory-blob-store.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryNotificationLog } from '../../fakes/in-memory-notification-log.ts';
import { RecordingNotifier } from '../../fakes/recording-notifier.ts';
import { RecordingPayments } from '../../fakes/recording-payments.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';

const agreementId = 'agr_01JQ0000000000000000000001';
const period = (number: number) => ({
  kind: 'agreement-billing' as const,
  tenantId: 'ten_acme',
  agreementId,
  period: number,
});

describe('billAgreementPeriod', () => {
  let agreements: InMemoryAgreements;
  let notifier: RecordingNotifier;
  let scheduler: RecordingScheduler;
  let clock: SettableClock;
  let payments: RecordingPayments;
  let blobs: InMemoryBlobStore;
  let deps: AgreementBillingDependencies;

  beforeEach(() => {
    agreements = new InMemoryAgreements().put(anAgreement());
    notifier = new RecordingNotifier();
    scheduler = new RecordingScheduler();
    // 08:00 in New York on the term's first day.
    clock = new SettableClock('2025-01-01T13:00:00.000Z');
    payments = new RecordingPayments();
    blobs = new InMemoryBlobStore();
    deps = {
      agreements,
      // The customer hears by text message, as they prefer.
      directory: new InMemoryDirectory()
        .addTenant(aTenant())
        .addCustomer(aCustomer({ contactPreferences: { channel: 'sms' } })),
      notifier,
      scheduler,
      clock,
      payments,
      blobs,
      notifications: new InMemoryNotificationLog(),
      ids: new SequentialIds(),
      reportFailure: () => undefined,
      pause: async () => undefined,
    };
  });

  it('when a period is billed, its invoice is written, sent with its PDF and a pay link, given its overdue check, and the next period is arranged', async () => {
    // Act
    const outcome = await billAgreementPeriod(deps, period(0));

    // Assert
    expect(outcome).toMatchObject({ outcome: 'billed', nextPeriod: 1 });
    const [invoice] = await agreements.invoicesOf('ten_acme', agreementId);
    const [invoiceId] = outcome.invoiceIds ?? [];
    expect(invoice).toMatchObject({
      invoiceId,
      workOrderId: agreementId,
      customerId: 'cus_existing',
      status: 'sent',
      total: 8_900,
      dueDate: '2025-01-15',
      lines: [
        expect.objectContaining({ description: 'Comfort Club, 2025-01-01 to 2025-03-31', amount: 8_900 }),
      ],
    });
    expect(notifier.sent).toEqual([
      expect.objectContaining({
        channel: 'sms',
        to: '+16175550101',
        body: expect.stringContaining(
          `is $89.00, due 2025-01-15. Pay online: https://pay.example/${invoiceId}/8900`,
        ),
      }),
    ]);
    expect(payments.checkouts.map((checkout) => checkout.invoice.invoiceId)).toEqual([invoiceId]);
    const pdfKey = `tenants/ten_acme/invoices/${invoiceId}.pdf`;
    expect(invoice?.pdfKey).toBe(pdfKey);
    expect(
      Buffer.from(blobs.bytesOf(pdfKey) ?? [])
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(scheduler.get(`invoice-overdue-${invoiceId}`).at).toBe('2025-01-16T09:00:00');
    expect(scheduler.get(billingScheduleName(agreementId, 1))).toMatchObject({
      at: '2025-04-01T08:00:00',
      timeZone: 'America/New_York',
      payload: period(1),
    });
    expect(await agreements.get('ten_acme', agreementId)).toMatchObject({
      nextBillingPeriod: 1,
      nextBillingOn: '2025-04-01',
      version: 2,
    });
  });

  it('when the schedule of a period fires twice, there is one invoice, one message and the next period once', async () => {
    // Arrange
    await billAgreementPeriod(deps, period(0));
    scheduler.schedules.clear();

    // Act
    const again = await billAgreementPeriod(deps, period(0));

    // Assert
    expect(again.outcome).toBe('billed');
    expect(again).not.toHaveProperty('nextPeriod');
    expect(await agreements.invoicesOf('ten_acme', agreementId)).toHaveLength(1);
    expect(notifier.sent).toHaveLength(1);
    expect(scheduler.schedules.size).toBe(0);
  });

  it('when a run wrote the invoice but failed before sending it and the office took a deposit meanwhile, the retry sends it with the balance and it stays partly paid', async () => {
    // Arrange: the first run stops at the PDF, before the message.
    const putObject = blobs.putObject.bind(blobs);
    blobs.putObject = async () => {
      throw new Error('S3 unavailable');
    };
    await expect(billAgreementPeriod(deps, period(0))).rejects.toThrow('S3 unavailable');
    blobs.putObject = putObject;
    const [written] = await agreements.invoicesOf('ten_acme', agreementId);
    if (!written) throw new Error('the invoice was not written');
    await agreements.updateInvoice(written, {
      ...written,
      status: 'partially_paid',
      amountPaid: 2_000,
      version: written.version + 1,
    });

    // Act
    await billAgreementPeriod(deps, period(0));

    // Assert
    const [invoice] = await agreements.invoicesOf('ten_acme', agreementId);
    expect(invoice).toMatchObject({
      status: 'partially_paid',
      amountPaid: 2_000,
      sentAt: expect.any(String),
    });
    expect(notifier.sent).toEqual([expect.objectContaining({ body: expect.stringContaining('is $69.00') })]);
    expect(scheduler.get(`invoice-overdue-${written.invoiceId}`)).toBeDefined();
  });

  it('when a year of quarterly schedules fire, some twice, there are exactly four invoices, one per quarter', async () => {
    // Arrange: fire whatever is due, as the clock moves a day at a time through the term.
    await billAgreementPeriod(deps, period(0));
    for (let day = 0; day < 400; day += 1) {
      clock.advance(86_400_000);
      for (const [name, schedule] of [...scheduler.schedules]) {
        if (!name.startsWith('agreement-billing-')) continue;
        if (instantOfWallClock(schedule.at, schedule.timeZone) > clock.now()) continue;
        const payload = agreementBillingPayload.parse(scheduler.fire(name));
        // Act
        await billAgreementPeriod(deps, payload);
        await billAgreementPeriod(deps, payload);
      }
    }

    // Assert
    const invoices = await agreements.invoicesOf('ten_acme', agreementId);
    expect(invoices.map((invoice) => invoice.lines[0]?.description)).toEqual([
      'Comfort Club, 2025-01-01 to 2025-03-31',
      'Comfort Club, 2025-04-01 to 2025-06-30',
      'Comfort Club, 2025-07-01 to 2025-09-30',
      'Comfort Club, 2025-10-01 to 2025-12-31',
    ]);
    expect(notifier.sent).toHaveLength(4);
    expect(await agreements.get('ten_acme', agreementId)).toMatchObject({
      nextBillingPeriod: 4,
      nextBillingOn: '-',
    });
  });

  it('when the first run comes after later periods began, it bills them all at once; their schedules then find them billed', async () => {
    // Arrange: the first period's schedule ran late, on 10 August.
    clock.advance(Date.parse('2025-08-10T12:00:00.000Z') - clock.now().getTime());

    // Act
    const outcome = await billAgreementPeriod(deps, period(0));
    const [late] = [...scheduler.schedules.keys()].filter((name) => name.startsWith('agreement-billing-'));
    const lateRun = await billAgreementPeriod(
      deps,
      agreementBillingPayload.parse(scheduler.fire(late ?? '')),
    );

    // Assert
    expect(outcome).toMatchObject({ outcome: 'billed', nextPeriod: 3 });
    expect(outcome.invoiceIds).toHaveLength(3);
    expect(await agreements.invoicesOf('ten_acme', agreementId)).toHaveLength(3);
    expect(scheduler.get(billingScheduleName(agreementId, 3)).at).toBe('2025-10-01T08:00:00');
    expect(lateRun).toEqual({ outcome: 'billed', invoiceIds: [expect.any(String)] });
    expect(await agreements.invoicesOf('ten_acme', agreementId)).toHaveLength(3);
    expect(notifier.sent).toHaveLength(3);
  });

  it('when the agreement is paused, the period passes unbilled and the next one is still arranged', async () => {
    // Arrange
    agreements.put(anAgreement({ status: 'paused' }));

    // Act
    const outcome = await billAgreementPeriod(deps, period(0));

    // Assert
    expect(outcome).toEqual({ outcome: 'not billed', nextPeriod: 1 });
    expect(agreements.invoices.size).toBe(0);
    expect(scheduler.schedules.has(billingScheduleName(agreementId, 1))).toBe(true);
  });

  it.each([
    ['ended', anAgreement({ status: 'ended' }), 0, 'ended'],
    ['past its term', anAgreement(), 4, 'outside the term'],
  ])('when the agreement is %s, nothing is billed or arranged', async (_, agreement, number, expected) => {
    // Arrange
    agreements.put(agreement);

    // Act
    const outcome = await billAgreementPeriod(deps, period(number));

    // Assert
    expect(outcome).toEqual({ outcome: expected });
    expect(agreements.invoices.size).toBe(0);
    expect(scheduler.schedules.size).toBe(0);
  });

  it('when the office changes the agreement while the period moves on, it reads it again and moves on once', async () => {
    // Arrange
    agreements.beforeNextUpdate(() => agreements.put(anAgreement({ name: 'Comfort Club Plus', version: 2 })));

    // Act
    const outcome = await billAgreementPeriod(deps, period(0));

    // Assert
    expect(outcome.nextPeriod).toBe(1);
    expect(await agreements.get('ten_acme', agreementId)).toMatchObject({
      name: 'Comfort Club Plus',
      nextBillingPeriod: 1,
      version: 3,
    });
  });
});
