import { beforeEach, describe, expect, it } from 'vitest';
import {
  addCalendarMonths,
  cancelFollowUpReminder,
  type FollowUpReminderDependencies,
  type FollowUpReminderRunDependencies,
  followUpReminderScheduleName,
  listFollowUpReminders,
  remindersOfWorkOrder,
  runFollowUpReminder,
  setFollowUpReminder,
} from '../../../../lambdas/domain/work-orders/follow-up-reminders.ts';
import { followUpReminderBody } from '../../../../lambdas/schemas/follow-up-reminders.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../../lambdas/shared/errors.ts';
import {
  aCustomer,
  aDispatcher,
  aTechnicianUser,
  aTenant,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryFieldWorkStore } from '../../fakes/in-memory-field-work-store.ts';
import { InMemoryFollowUpReminders } from '../../fakes/in-memory-follow-up-reminders.ts';
import { InMemoryNotificationLog } from '../../fakes/in-memory-notification-log.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingNotifier } from '../../fakes/recording-notifier.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

// Friday 14 March 2025, 11:00 in Boston (the tenant's zone): the job was completed this morning.
const now = '2025-03-14T15:00:00.000Z';
const note = 'Call about replacing the 15-year-old condenser before summer';

describe('follow-up reminders', () => {
  let workOrders: InMemoryWorkOrderStore;
  let fieldWork: InMemoryFieldWorkStore;
  let reminders: InMemoryFollowUpReminders;
  let scheduler: RecordingScheduler;
  let notifier: RecordingNotifier;
  let clock: SettableClock;
  let deps: FollowUpReminderDependencies;
  let runDeps: FollowUpReminderRunDependencies;

  beforeEach(() => {
    const directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer({ contactPreferences: { channel: 'sms' } }));
    workOrders = new InMemoryWorkOrderStore(directory);
    fieldWork = new InMemoryFieldWorkStore(workOrders);
    reminders = new InMemoryFollowUpReminders(workOrders);
    scheduler = new RecordingScheduler();
    notifier = new RecordingNotifier();
    clock = new SettableClock(now);
    const ids = new SequentialIds();
    deps = { workOrders, directory, recommendations: fieldWork, reminders, scheduler, clock, ids };
    runDeps = {
      reminders,
      tasks: fieldWork,
      directory,
      notifier,
      notifications: new InMemoryNotificationLog(workOrders),
      scheduler,
      clock,
      ids,
      reportFailure: () => {},
      pause: async () => {},
    };
    workOrders.put(aWorkOrderAt('completed'));
  });

  const inMonths = (months: number, extra: Partial<Parameters<typeof setFollowUpReminder>[3]> = {}) => ({
    when: { months },
    note,
    createTask: true,
    messageCustomer: true,
    ...extra,
  });

  describe('setFollowUpReminder', () => {
    it('when the office sets one in 3 months on completed work, it is pending for that day and fires at 09:00 local', async () => {
      // Act
      const reminder = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(3));

      // Assert
      expect(reminder).toMatchObject({
        workOrderId: 'wo_existing',
        customerId: 'cus_existing',
        dueOn: '2025-06-14',
        remindAt: '2025-06-14T13:00:00.000Z',
        note,
        createTask: true,
        messageCustomer: true,
        status: 'pending',
        createdBy: 'user-dispatcher-1',
        version: 1,
      });
      expect(scheduler.get(followUpReminderScheduleName(reminder.reminderId))).toEqual({
        name: followUpReminderScheduleName(reminder.reminderId),
        at: '2025-06-14T09:00:00',
        timeZone: 'America/New_York',
        payload: {
          kind: 'follow-up-reminder',
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          reminderId: reminder.reminderId,
        },
      });
      expect(workOrders.eventsOf('ten_acme', 'wo_existing').at(-1)).toMatchObject({
        action: 'follow_up_reminder_set',
        actorId: 'user-dispatcher-1',
        changes: { details: { after: { reminderId: reminder.reminderId, dueOn: '2025-06-14' } } },
      });
    });

    it('when it follows up a recommendation on a job still in progress, it is accepted and takes the recommendation as its note', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      await fieldWork.addRecommendation(
        {
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          recommendationId: 'rec_condenser',
          customerId: 'cus_existing',
          description: 'Replace the condenser: 15 years old, coil corroded',
          urgency: 'medium',
          estimatedPrice: 420_000,
          currency: 'USD',
          status: 'open',
          recordedBy: 'user-technician-ana',
          recorderRole: 'technician',
          version: 1,
          createdAt: now,
          updatedAt: now,
        },
        {
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          eventId: 'evt_rec',
          action: 'x',
          actorId: 'a',
          actorRole: 'technician',
          at: now,
          changes: {},
        },
        ['in_progress'],
      );

      // Act
      const reminder = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', {
        when: { on: '2025-09-01' },
        createTask: true,
        messageCustomer: false,
        recommendationId: 'rec_condenser',
      });

      // Assert
      expect(reminder).toMatchObject({
        dueOn: '2025-09-01',
        note: 'Replace the condenser: 15 years old, coil corroded',
        recommendationId: 'rec_condenser',
      });
    });

    it('when the work order is not done and no recommendation is named, it answers 409 and sets nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched'));

      // Act
      const error = await rejectionOf(setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(3)));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toMatchObject({ currentStatus: 'dispatched' });
      expect(scheduler.schedules.size).toBe(0);
      expect(reminders.items.size).toBe(0);
    });

    it.each([
      ['a day in the past', { when: { on: '2025-03-13' } }, 'body.on'],
      ['an unknown recommendation', { recommendationId: 'rec_unknown' }, 'body.recommendationId'],
      ['no note and no recommendation', { note: undefined }, 'body.note'],
    ])('when given %s, it answers 400 naming the field and sets nothing', async (_, extra, field) => {
      // Act
      const error = await rejectionOf(
        setFollowUpReminder(deps, aDispatcher(), 'wo_existing', { ...inMonths(3), ...extra }),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual([field]);
      expect(scheduler.schedules.size).toBe(0);
      expect(reminders.items.size).toBe(0);
    });

    it('when a technician or another tenant asks, it is refused', async () => {
      // Act
      const technician = await rejectionOf(
        setFollowUpReminder(deps, aTechnicianUser(), 'wo_existing', inMonths(3)),
      );
      const otherTenant = await rejectionOf(
        setFollowUpReminder(deps, aDispatcher({ tenantId: 'ten_other' }), 'wo_existing', inMonths(3)),
      );

      // Assert
      expect(technician).toBeInstanceOf(ForbiddenError);
      expect(otherTenant).toBeInstanceOf(NotFoundError);
    });
  });

  describe('the request body', () => {
    it.each([
      ['both in and on', { in: { months: 3 }, on: '2025-06-01', createTask: true }, ['in', 'on']],
      ['neither in nor on', { createTask: true }, ['in', 'on']],
      ['neither a task nor a message', { in: { months: 3 } }, ['createTask', 'messageCustomer']],
      ['months out of range', { in: { months: 0 }, createTask: true }, ['in.months']],
    ])('when it has %s, the fields are named', (_, body, fields) => {
      // Act
      const result = followUpReminderBody.safeParse(body);

      // Assert
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(fields);
    });
  });

  describe('addCalendarMonths', () => {
    it.each([
      ['2025-03-14', 3, '2025-06-14'],
      ['2025-01-31', 1, '2025-02-28'],
      ['2024-01-31', 1, '2024-02-29'],
      ['2025-11-30', 3, '2026-02-28'],
      ['2025-12-15', 12, '2026-12-15'],
    ])('when %s moves by %i months, it is %s', (day, months, expected) => {
      // Act
      const moved = addCalendarMonths(day, months);

      // Assert
      expect(moved).toBe(expected);
    });
  });

  describe('runFollowUpReminder', () => {
    const payloadOf = (reminderId: string) => ({
      kind: 'follow-up-reminder' as const,
      tenantId: 'ten_acme',
      workOrderId: 'wo_existing',
      reminderId,
    });

    it('when its day comes, the office gets an open task, the customer a message, and the reminder is done', async () => {
      // Arrange
      const { reminderId } = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(3));
      clock.advance(92 * 86_400_000);

      // Act
      const result = await runFollowUpReminder(runDeps, payloadOf(reminderId));

      // Assert
      expect(result).toMatchObject({ outcome: 'done', messages: [{ channel: 'sms', status: 'sent' }] });
      const tasks = await fieldWork.tasksOf('ten_acme', 'wo_existing');
      expect(tasks).toEqual([
        expect.objectContaining({
          taskId: result.outcome === 'done' ? result.taskId : '',
          description: note,
          dueDate: '2025-06-14',
          status: 'open',
          createdBy: 'user-dispatcher-1',
        }),
      ]);
      expect(notifier.sent).toHaveLength(1);
      expect(notifier.sent[0]).toMatchObject({
        channel: 'sms',
        to: '+16175550101',
        workOrderId: 'wo_existing',
      });
      expect(notifier.sent[0]?.body).toContain(note);
      expect(await reminders.getReminder('ten_acme', 'wo_existing', reminderId)).toMatchObject({
        status: 'done',
        taskId: tasks[0]?.taskId,
        messages: [{ channel: 'sms', status: 'sent' }],
        version: 2,
      });
    });

    it('when the schedule is delivered twice, there is one task and one message', async () => {
      // Arrange
      const { reminderId } = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(3));
      await runFollowUpReminder(runDeps, payloadOf(reminderId));

      // Act
      const second = await runFollowUpReminder(runDeps, payloadOf(reminderId));

      // Assert
      expect(second).toEqual({ outcome: 'already done' });
      expect(await fieldWork.tasksOf('ten_acme', 'wo_existing')).toHaveLength(1);
      expect(notifier.sent).toHaveLength(1);
    });

    it('when two deliveries run at once, there is still one task and one message', async () => {
      // Arrange
      const { reminderId } = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(3));

      // Act
      const outcomes = await Promise.all([
        runFollowUpReminder(runDeps, payloadOf(reminderId)),
        runFollowUpReminder(runDeps, payloadOf(reminderId)),
      ]);

      // Assert
      expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['already done', 'done']);
      expect(await fieldWork.tasksOf('ten_acme', 'wo_existing')).toHaveLength(1);
      expect(notifier.sent).toHaveLength(1);
    });

    it('when only a task was asked for, the customer hears nothing', async () => {
      // Arrange
      const { reminderId } = await setFollowUpReminder(
        deps,
        aDispatcher(),
        'wo_existing',
        inMonths(3, { messageCustomer: false }),
      );

      // Act
      const result = await runFollowUpReminder(runDeps, payloadOf(reminderId));

      // Assert
      expect(result).toMatchObject({ outcome: 'done', messages: [] });
      expect(await fieldWork.tasksOf('ten_acme', 'wo_existing')).toHaveLength(1);
      expect(notifier.sent).toEqual([]);
    });

    it('when only a message was asked for, no task is created', async () => {
      // Arrange
      const { reminderId } = await setFollowUpReminder(
        deps,
        aDispatcher(),
        'wo_existing',
        inMonths(3, { createTask: false }),
      );

      // Act
      const result = await runFollowUpReminder(runDeps, payloadOf(reminderId));

      // Assert
      expect(result).toEqual({ outcome: 'done', messages: [{ channel: 'sms', status: 'sent' }] });
      expect(await fieldWork.tasksOf('ten_acme', 'wo_existing')).toEqual([]);
      expect(notifier.sent).toHaveLength(1);
    });

    it('when it was cancelled, firing does nothing', async () => {
      // Arrange
      const { reminderId } = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(3));
      await cancelFollowUpReminder(deps, aDispatcher(), reminderId);

      // Act
      const result = await runFollowUpReminder(runDeps, payloadOf(reminderId));

      // Assert
      expect(result).toEqual({ outcome: 'cancelled' });
      expect(await fieldWork.tasksOf('ten_acme', 'wo_existing')).toEqual([]);
      expect(notifier.sent).toEqual([]);
    });
  });

  describe('cancelFollowUpReminder', () => {
    it('when the office cancels a pending one, it is cancelled, audited and its schedule deleted', async () => {
      // Arrange
      const { reminderId } = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(3));

      // Act
      const cancelled = await cancelFollowUpReminder(deps, aDispatcher(), reminderId);

      // Assert
      expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'user-dispatcher-1', version: 2 });
      expect(scheduler.schedules.has(followUpReminderScheduleName(reminderId))).toBe(false);
      expect(workOrders.eventsOf('ten_acme', 'wo_existing').at(-1)).toMatchObject({
        action: 'follow_up_reminder_cancelled',
        changes: { reminderStatus: { before: 'pending', after: 'cancelled' } },
      });
    });

    it('when it is cancelled again or is unknown, it answers 409 or 404', async () => {
      // Arrange
      const { reminderId } = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(3));
      await cancelFollowUpReminder(deps, aDispatcher(), reminderId);

      // Act
      const again = await rejectionOf(cancelFollowUpReminder(deps, aDispatcher(), reminderId));
      const unknown = await rejectionOf(cancelFollowUpReminder(deps, aDispatcher(), 'rmd_unknown'));
      const otherTenant = await rejectionOf(
        cancelFollowUpReminder(deps, aDispatcher({ tenantId: 'ten_other' }), reminderId),
      );

      // Assert
      expect(again).toBeInstanceOf(ConflictError);
      expect((again as ConflictError).extensions).toMatchObject({ currentStatus: 'cancelled' });
      expect(unknown).toBeInstanceOf(NotFoundError);
      expect(otherTenant).toBeInstanceOf(NotFoundError);
    });
  });

  describe('lists', () => {
    it('when the office lists them, pending ones come soonest first and a work order shows its own', async () => {
      // Arrange
      const later = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(6));
      const sooner = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(1));
      const cancelled = await setFollowUpReminder(deps, aDispatcher(), 'wo_existing', inMonths(2));
      await cancelFollowUpReminder(deps, aDispatcher(), cancelled.reminderId);

      // Act
      const pending = await listFollowUpReminders(deps, aDispatcher(), 'pending', { limit: 10 });
      const ofWorkOrder = await remindersOfWorkOrder(deps, aDispatcher(), 'wo_existing');

      // Assert
      expect(pending.items.map((reminder) => reminder.reminderId)).toEqual([
        sooner.reminderId,
        later.reminderId,
      ]);
      expect(ofWorkOrder.map((reminder) => reminder.reminderId)).toEqual([
        later.reminderId,
        sooner.reminderId,
        cancelled.reminderId,
      ]);
    });
  });
});
