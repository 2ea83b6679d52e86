import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AppointmentReminderDependencies,
  appointmentReminderName,
  appointmentReminderTime,
  arrangeAppointmentReminder,
  sendAppointmentReminder,
  withdrawAppointmentReminder,
} from '../../../../lambdas/domain/notifications/appointment-reminders.ts';
import { instantOfWallClock } from '../../../../lambdas/domain/shared/schedule-time.ts';
import {
  aCustomer,
  aLocation,
  aServiceType,
  aTechnician,
  aTenant,
  aWorkOrderAt,
  bookedVisit,
} from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryNotificationLog } from '../../fakes/in-memory-notification-log.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingNotifier } from '../../fakes/recording-notifier.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';

// The fixture visit: Friday 14 March 2025, 9:00 in Boston; its reminder Thursday 13 March, 17:00.
const reminderName = appointmentReminderName('wo_existing');
const reminderAt = '2025-03-13T17:00:00';
const payloadFor = (scheduledStart: string) => ({
  kind: 'appointment-reminder' as const,
  tenantId: 'ten_acme',
  workOrderId: 'wo_existing',
  scheduledStart,
});
// Tuesday 11 March 2025, 10:00 in Boston: the booking is made three days ahead.
const bookingTime = '2025-03-11T14:00:00.000Z';
// Thursday 13 March, 17:00 in Boston: the reminder's time.
const reminderTime = '2025-03-13T21:00:00.000Z';

describe('appointment reminders', () => {
  let workOrders: InMemoryWorkOrderStore;
  let notifier: RecordingNotifier;
  let scheduler: RecordingScheduler;
  let clock: SettableClock;
  let failures: string[];
  let deps: AppointmentReminderDependencies;

  beforeEach(() => {
    const directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer({ contactPreferences: { channel: 'sms' } }))
      .addLocation(aLocation())
      .addServiceType('ten_acme', aServiceType())
      .addTechnician('ten_acme', aTechnician());
    workOrders = new InMemoryWorkOrderStore(directory);
    notifier = new RecordingNotifier();
    scheduler = new RecordingScheduler();
    clock = new SettableClock(bookingTime);
    failures = [];
    deps = {
      workOrders,
      directory,
      notifier,
      notifications: new InMemoryNotificationLog(workOrders),
      scheduler,
      clock,
      ids: new SequentialIds(),
      reportFailure: (message) => failures.push(message),
      pause: async () => {},
    };
  });

  describe('arrangeAppointmentReminder', () => {
    it('when a booking is confirmed, the reminder is set for 17:00 the day before in the tenant zone, carrying the start', async () => {
      // Arrange
      const workOrder = aWorkOrderAt('scheduled');

      // Act
      const arranged = await arrangeAppointmentReminder(deps, workOrder, aTenant());

      // Assert
      expect(arranged).toEqual({ reminder: 'arranged', at: reminderAt });
      expect(scheduler.get(reminderName)).toEqual({
        name: reminderName,
        at: reminderAt,
        timeZone: 'America/New_York',
        payload: payloadFor(bookedVisit.scheduledStart),
      });
    });

    it('when the booking is confirmed again for another day, the one reminder moves to the day before it', async () => {
      // Arrange
      await arrangeAppointmentReminder(deps, aWorkOrderAt('scheduled'), aTenant());
      const moved = aWorkOrderAt('scheduled', {
        scheduledStart: '2025-03-18T18:00:00.000Z',
        scheduledEnd: '2025-03-18T19:30:00.000Z',
        scheduledDate: '2025-03-18',
      });

      // Act
      await arrangeAppointmentReminder(deps, moved, aTenant());

      // Assert
      expect([...scheduler.schedules.keys()]).toEqual([reminderName]);
      expect(scheduler.get(reminderName)).toMatchObject({
        at: '2025-03-17T17:00:00',
        payload: payloadFor('2025-03-18T18:00:00.000Z'),
      });
    });

    it('when the booking is made after 17:00 the day before, no reminder is set and an earlier one is deleted', async () => {
      // Arrange
      await arrangeAppointmentReminder(deps, aWorkOrderAt('scheduled'), aTenant());
      clock.advance(Date.parse('2025-03-13T22:30:00.000Z') - clock.now().getTime());

      // Act
      const arranged = await arrangeAppointmentReminder(deps, aWorkOrderAt('scheduled'), aTenant());

      // Assert
      expect(arranged).toEqual({ reminder: 'none', reason: 'booked after the reminder time' });
      expect(scheduler.schedules.size).toBe(0);
      expect(scheduler.deleted).toEqual([reminderName]);
    });

    it('when the work order is not booked, its reminder is deleted', async () => {
      // Arrange
      await arrangeAppointmentReminder(deps, aWorkOrderAt('scheduled'), aTenant());

      // Act
      const arranged = await arrangeAppointmentReminder(deps, aWorkOrderAt('new'), aTenant());

      // Assert
      expect(arranged).toEqual({ reminder: 'none', reason: 'not booked' });
      expect(scheduler.schedules.size).toBe(0);
    });

    it('when a visit starts at any time in any zone, its reminder is 17:00 on the local day before, 6 to 32 hours ahead', () => {
      fc.assert(
        fc.property(
          fc.date({
            min: new Date('2024-01-01T00:00:00Z'),
            max: new Date('2030-12-31T00:00:00Z'),
            noInvalidDate: true,
          }),
          fc.constantFrom(
            'America/New_York',
            'America/Chicago',
            'Europe/London',
            'Australia/Sydney',
            'Asia/Kolkata',
          ),
          (start, timeZone) => {
            // Act
            const at = appointmentReminderTime(start.toISOString(), timeZone);

            // Assert
            const hoursAhead = (start.getTime() - instantOfWallClock(at, timeZone).getTime()) / 3_600_000;
            expect(at.endsWith('T17:00:00')).toBe(true);
            expect(hoursAhead).toBeGreaterThanOrEqual(6);
            expect(hoursAhead).toBeLessThanOrEqual(32);
          },
        ),
      );
    });
  });

  describe('withdrawAppointmentReminder', () => {
    it('when a work order is cancelled, its reminder is deleted and none is set', async () => {
      // Arrange
      await arrangeAppointmentReminder(deps, aWorkOrderAt('scheduled'), aTenant());
      workOrders.put(aWorkOrderAt('cancelled'));

      // Act
      const result = await withdrawAppointmentReminder(deps, {
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
      });

      // Assert
      expect(result).toEqual({ reminder: 'none', reason: 'not booked' });
      expect(scheduler.schedules.size).toBe(0);
    });

    it('when the work order was booked again before the withdrawal ran, the reminder stands for the new booking', async () => {
      // Arrange: rescheduled, then booked for the 18th and confirmed, before the reschedule's event arrives.
      const rebooked = aWorkOrderAt('scheduled', {
        scheduledStart: '2025-03-18T18:00:00.000Z',
        scheduledEnd: '2025-03-18T19:30:00.000Z',
        scheduledDate: '2025-03-18',
      });
      workOrders.put(rebooked);
      await arrangeAppointmentReminder(deps, rebooked, aTenant());

      // Act
      await withdrawAppointmentReminder(deps, { tenantId: 'ten_acme', workOrderId: 'wo_existing' });

      // Assert
      expect(scheduler.get(reminderName)).toMatchObject({
        at: '2025-03-17T17:00:00',
        payload: payloadFor('2025-03-18T18:00:00.000Z'),
      });
    });
  });

  describe('sendAppointmentReminder', () => {
    it('when the job is still booked for that start, the customer is reminded of the day, window, service and technician', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched'));
      clock = new SettableClock(reminderTime);
      deps = { ...deps, clock };

      // Act
      const result = await sendAppointmentReminder(deps, payloadFor(bookedVisit.scheduledStart));

      // Assert
      expect(result).toMatchObject({ outcome: 'sent', messages: [{ channel: 'sms', status: 'sent' }] });
      expect(notifier.sent).toHaveLength(1);
      expect(notifier.sent[0]).toMatchObject({
        channel: 'sms',
        to: '+16175550101',
        workOrderId: 'wo_existing',
      });
      expect(notifier.sent[0]?.body).toContain('Fri Mar 14 at 9:00 AM');
      expect(notifier.sent[0]?.body).toContain('AC repair');
      expect(notifier.sent[0]?.body).toContain('Ana will be your technician.');
      expect(failures).toEqual([]);
    });

    it('when the schedule is delivered twice, the customer gets one reminder', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));
      deps = { ...deps, clock: new SettableClock(reminderTime) };
      await sendAppointmentReminder(deps, payloadFor(bookedVisit.scheduledStart));

      // Act
      const second = await sendAppointmentReminder(deps, payloadFor(bookedVisit.scheduledStart));

      // Assert
      expect(second).toMatchObject({ outcome: 'sent', messages: [{ status: 'duplicate' }] });
      expect(notifier.sent).toHaveLength(1);
    });

    it.each([
      [
        'a reminder of an earlier booking',
        aWorkOrderAt('scheduled', { scheduledStart: '2025-03-18T18:00:00.000Z' }),
        'stale',
      ],
      ['a cancelled job', aWorkOrderAt('cancelled', { ...bookedVisit }), 'not booked'],
      ['a job sent back to scheduling', aWorkOrderAt('new'), 'not booked'],
      ['a job on hold', aWorkOrderAt('on_hold'), 'not booked'],
    ])('when it fires for %s, nothing is sent', async (_, workOrder, outcome) => {
      // Arrange
      workOrders.put(workOrder);
      deps = { ...deps, clock: new SettableClock(reminderTime) };

      // Act
      const result = await sendAppointmentReminder(deps, payloadFor(bookedVisit.scheduledStart));

      // Assert
      expect(result).toEqual({ outcome });
      expect(notifier.sent).toEqual([]);
    });

    it('when it fires after the visit has started (delivered late), nothing is sent', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched'));
      deps = { ...deps, clock: new SettableClock('2025-03-14T13:30:00.000Z') };

      // Act
      const result = await sendAppointmentReminder(deps, payloadFor(bookedVisit.scheduledStart));

      // Assert
      expect(result).toEqual({ outcome: 'too late' });
      expect(notifier.sent).toEqual([]);
    });
  });
});
