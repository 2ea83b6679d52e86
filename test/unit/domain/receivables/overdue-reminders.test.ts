import { beforeEach, describe, expect, it } from 'vitest';
import {
  cancelOverdueReminders,
  checkOverdueInvoice,
  type OverdueCheckDependencies,
  overdueCheckName,
  scheduleOverdueReminder,
} from '../../../../lambdas/domain/receivables/overdue-reminders.ts';
import { aCustomer, anInvoice, aTenant } from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryNotificationLog } from '../../fakes/in-memory-notification-log.ts';
import { InMemoryReceivables } from '../../fakes/in-memory-receivables.ts';
import { RecordingNotifier } from '../../fakes/recording-notifier.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const key = { tenantId: 'ten_acme', workOrderId: 'wo_existing', invoiceId: 'inv_existing' };
const check = (number: number) => ({ kind: 'invoice-overdue' as const, ...key, check: number });
// The day after the fixture invoice is due (2025-03-28), 09:00 in New York.
const firstCheckTime = '2025-03-29T13:00:00.000Z';
const aDay = 86_400_000;

describe('overdue reminders', () => {
  let receivables: InMemoryReceivables;
  let notifier: RecordingNotifier;
  let scheduler: RecordingScheduler;
  let clock: SettableClock;
  let deps: OverdueCheckDependencies;

  beforeEach(() => {
    receivables = new InMemoryReceivables().putInvoice(anInvoice({ status: 'sent', version: 3 }));
    notifier = new RecordingNotifier();
    scheduler = new RecordingScheduler();
    clock = new SettableClock(firstCheckTime);
    deps = {
      receivables,
      // The customer hears by text message, as they prefer.
      directory: new InMemoryDirectory()
        .addTenant(aTenant())
        .addCustomer(aCustomer({ contactPreferences: { channel: 'sms' } })),
      notifier,
      scheduler,
      clock,
      notifications: new InMemoryNotificationLog(),
      ids: new SequentialIds(),
      reportFailure: () => undefined,
      pause: async () => undefined,
    };
  });

  describe('scheduleOverdueReminder', () => {
    it('when an invoice is sent, its first check is the day after its due date at 09:00 in the tenant zone', async () => {
      // Arrange
      clock = new SettableClock('2025-03-14T15:00:00.000Z');

      // Act
      await scheduleOverdueReminder({ scheduler, clock }, anInvoice(), aTenant());

      // Assert
      expect(scheduler.get('invoice-overdue-inv_existing')).toEqual({
        name: 'invoice-overdue-inv_existing',
        at: '2025-03-29T09:00:00',
        timeZone: 'America/New_York',
        payload: check(1),
      });
    });

    it('when the invoice is sent after that time has passed, the check comes a minute from now', async () => {
      // Arrange
      clock = new SettableClock('2025-04-02T18:30:00.000Z');

      // Act
      await scheduleOverdueReminder({ scheduler, clock }, anInvoice(), aTenant());

      // Assert
      expect(scheduler.get('invoice-overdue-inv_existing').at).toBe('2025-04-02T14:31:00');
    });
  });

  describe('checkOverdueInvoice', () => {
    it('when the invoice is unpaid past its due date, it reminds the customer, marks it overdue and checks again in a week', async () => {
      // Act
      const outcome = await checkOverdueInvoice(deps, check(1));

      // Assert
      expect(outcome).toMatchObject({ outcome: 'reminded', reminder: 1, overdueAmount: 31_858 });
      expect(notifier.sent).toEqual([
        expect.objectContaining({
          channel: 'sms',
          to: '+16175550101',
          workOrderId: 'wo_existing',
          body: expect.stringContaining(
            'your invoice inv_existing from Acme Heating & Cooling for $318.58 is past due since 2025-03-28.',
          ),
        }),
      ]);
      expect(await receivables.invoice(key)).toMatchObject({ overdueSince: firstCheckTime, version: 4 });
      expect(receivables.reminders.get('ten_acme#wo_existing#inv_existing')).toMatchObject({
        checks: 1,
        sent: 1,
      });
      expect(scheduler.get(overdueCheckName('inv_existing', 2))).toMatchObject({
        at: '2025-04-05T09:00:00',
        payload: check(2),
      });
    });

    it('when the third reminder goes out, no further check is arranged, and overdueSince keeps the first day', async () => {
      // Arrange
      await checkOverdueInvoice(deps, check(1));
      clock.advance(7 * aDay);
      await checkOverdueInvoice(deps, check(2));
      clock.advance(7 * aDay);

      // Act
      const outcome = await checkOverdueInvoice(deps, check(3));

      // Assert
      expect(outcome).toMatchObject({ outcome: 'reminded', reminder: 3 });
      expect(outcome).not.toHaveProperty('nextCheckAt');
      expect(notifier.sent).toHaveLength(3);
      expect(scheduler.schedules.has(overdueCheckName('inv_existing', 4))).toBe(false);
      expect((await receivables.invoice(key))?.overdueSince).toBe(firstCheckTime);
    });

    it('when the same check is delivered twice, the customer is reminded once', async () => {
      // Arrange
      await checkOverdueInvoice(deps, check(1));

      // Act
      const again = await checkOverdueInvoice(deps, check(1));

      // Assert
      expect(again).toEqual({ outcome: 'already checked' });
      expect(notifier.sent).toHaveLength(1);
    });

    it.each(['paid', 'void'] as const)(
      'when the invoice is %s by the time the check fires, it does nothing',
      async (status) => {
        // Arrange
        receivables.putInvoice(anInvoice({ status, amountPaid: status === 'paid' ? 31_858 : 0 }));

        // Act
        const outcome = await checkOverdueInvoice(deps, check(1));

        // Assert
        expect(outcome).toEqual({ outcome: 'settled' });
        expect(notifier.sent).toEqual([]);
        expect(scheduler.schedules.size).toBe(0);
        expect((await receivables.invoice(key))?.overdueSince).toBeUndefined();
      },
    );

    it('when a payment lands while the check records, it looks again and does not send a second message', async () => {
      // Arrange
      receivables.beforeNextRecord(() => receivables.pay(key, 1_000, '2025-03-29T12:59:00.000Z'));

      // Act
      const outcome = await checkOverdueInvoice(deps, check(1));

      // Assert
      expect(outcome).toMatchObject({ outcome: 'reminded', reminder: 1 });
      expect(notifier.sent).toHaveLength(1);
      expect(await receivables.invoice(key)).toMatchObject({
        amountPaid: 1_000,
        overdueSince: firstCheckTime,
      });
    });

    it('when the payment plan is kept to, nothing is overdue: no message, the next check after the next instalment', async () => {
      // Arrange
      receivables.plans.set('ten_acme#wo_existing#inv_existing', {
        ...key,
        currency: 'USD',
        amount: 31_858,
        amountPaidBefore: 0,
        instalments: [
          { number: 1, dueDate: '2025-03-28', amount: 15_929 },
          { number: 2, dueDate: '2025-04-28', amount: 15_929 },
        ],
        createdBy: 'user-dispatcher-1',
        createdAt: '2025-03-14T15:00:00.000Z',
      });
      receivables.pay(key, 15_929, '2025-03-27T15:00:00.000Z');

      // Act
      const outcome = await checkOverdueInvoice(deps, check(1));

      // Assert
      expect(outcome).toEqual({ outcome: 'not overdue', nextCheckAt: '2025-04-29T09:00:00' });
      expect(notifier.sent).toEqual([]);
      expect((await receivables.invoice(key))?.overdueSince).toBeUndefined();
    });

    it('when an instalment of the plan is late, the reminder names it', async () => {
      // Arrange
      receivables.plans.set('ten_acme#wo_existing#inv_existing', {
        ...key,
        currency: 'USD',
        amount: 31_858,
        amountPaidBefore: 0,
        instalments: [
          { number: 1, dueDate: '2025-03-20', amount: 15_929 },
          { number: 2, dueDate: '2025-04-28', amount: 15_929 },
        ],
        createdBy: 'user-dispatcher-1',
        createdAt: '2025-03-14T15:00:00.000Z',
      });

      // Act
      const outcome = await checkOverdueInvoice(deps, check(1));

      // Assert
      expect(outcome).toMatchObject({ outcome: 'reminded', overdueAmount: 15_929 });
      expect(notifier.sent[0]?.body).toContain(
        'for $159.29 is past due since 2025-03-20. That is instalment 1 of 2; $318.58 is open in all.',
      );
    });

    it('when the delivery fails once, it is tried again and the customer is reminded once', async () => {
      // Arrange
      notifier.failNextSendWith(new Error('SNS throttled'));

      // Act
      const outcome = await checkOverdueInvoice(deps, check(1));

      // Assert
      expect(outcome).toMatchObject({ outcome: 'reminded', reminder: 1 });
      expect(notifier.sent).toHaveLength(1);
    });

    it('when the check runs again after a failure past the message, the reminder is not sent twice', async () => {
      // Arrange: the message goes out, then arranging the next check fails.
      const put = scheduler.put.bind(scheduler);
      scheduler.put = async () => {
        throw new Error('Scheduler throttled');
      };
      const failure = await rejectionOf(checkOverdueInvoice(deps, check(1)));
      scheduler.put = put;

      // Act
      const retried = await checkOverdueInvoice(deps, check(1));

      // Assert
      expect(failure).toMatchObject({ message: 'Scheduler throttled' });
      expect(retried).toMatchObject({ outcome: 'reminded', reminder: 1 });
      expect(notifier.sent).toHaveLength(1);
      expect(scheduler.get('invoice-overdue-inv_existing-2')).toBeDefined();
    });
  });

  describe('cancelOverdueReminders', () => {
    it('when the invoice is paid in full, the pending check is deleted', async () => {
      // Arrange
      await checkOverdueInvoice(deps, check(1));
      receivables.pay(key, 31_858, '2025-03-30T10:00:00.000Z');

      // Act
      const result = await cancelOverdueReminders({ receivables, scheduler }, key);

      // Assert
      expect(result).toEqual({ deleted: 'invoice-overdue-inv_existing-2' });
      expect(scheduler.schedules.size).toBe(0);
    });

    it('when a balance is left, the reminders stay', async () => {
      // Arrange
      await scheduleOverdueReminder(
        { scheduler, clock: new SettableClock('2025-03-14T15:00:00.000Z') },
        anInvoice(),
        aTenant(),
      );
      receivables.pay(key, 1_000, '2025-03-20T10:00:00.000Z');

      // Act
      const result = await cancelOverdueReminders({ receivables, scheduler }, key);

      // Assert
      expect(result).toEqual({});
      expect(scheduler.schedules.has('invoice-overdue-inv_existing')).toBe(true);
    });
  });
});
