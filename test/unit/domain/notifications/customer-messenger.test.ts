import { beforeEach, describe, expect, it } from 'vitest';
import type { Customer, Tenant } from '../../../../lambdas/domain/customers/customer.ts';
import {
  type CustomerMessageRequest,
  type CustomerMessengerDependencies,
  messageCustomer,
  releaseHeldMessage,
} from '../../../../lambdas/domain/notifications/customer-messenger.ts';
import { aCustomer, aTenant } from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryNotificationLog } from '../../fakes/in-memory-notification-log.ts';
import { RecordingNotifier } from '../../fakes/recording-notifier.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';

// Wednesday 12 March 2025, 11:30 in New York (EDT).
const now = '2025-03-12T15:30:00.000Z';
const nights = { start: '21:00', end: '08:00' };

describe('messageCustomer', () => {
  let notifier: RecordingNotifier;
  let notifications: InMemoryNotificationLog;
  let scheduler: RecordingScheduler;
  let clock: SettableClock;
  let failures: { message: string; error: unknown; kind?: string }[];
  let pauses: number[];
  let deps: CustomerMessengerDependencies;

  const aRequest = (
    overrides: { tenant?: Tenant; customer?: Customer } & Partial<CustomerMessageRequest> = {},
  ): CustomerMessageRequest => ({
    tenant: aTenant(),
    customer: aCustomer(),
    purpose: 'reminder',
    workOrderId: 'wo_existing',
    values: { service: 'AC repair', window: 'tomorrow between 8:00 AM and 12:00 PM' },
    dedupeKey: 'reminder-wo_existing-2025-03-13T12:00:00.000Z',
    ...overrides,
  });

  beforeEach(() => {
    notifier = new RecordingNotifier();
    notifications = new InMemoryNotificationLog();
    scheduler = new RecordingScheduler();
    clock = new SettableClock(now);
    failures = [];
    pauses = [];
    deps = {
      notifier,
      notifications,
      scheduler,
      clock,
      ids: new SequentialIds(),
      reportFailure: (message, error, kind) => failures.push({ message, error, kind }),
      pause: async (milliseconds) => {
        pauses.push(milliseconds);
      },
    };
  });

  describe('channels and templates', () => {
    it('when the customer has no preference, it tells them by every channel on file, personalised', async () => {
      // Arrange
      const request = aRequest();

      // Act
      const outcomes = await messageCustomer(deps, request);

      // Assert
      expect(outcomes).toEqual([
        { channel: 'sms', notificationId: 'ntf_0001', status: 'sent', messageId: 'msg-1' },
        { channel: 'email', notificationId: 'ntf_0002', status: 'sent', messageId: 'msg-2' },
      ]);
      expect(notifier.sent).toEqual([
        {
          tenantId: 'ten_acme',
          channel: 'sms',
          to: '+16175550101',
          workOrderId: 'wo_existing',
          subject: 'Reminder: your AC repair visit on tomorrow between 8:00 AM and 12:00 PM',
          body: 'Hi Dana, a reminder from Acme Heating & Cooling: your AC repair visit is tomorrow between 8:00 AM and 12:00 PM. Reply STOP to opt out.',
        },
        expect.objectContaining({
          channel: 'email',
          to: 'dana@example.com',
          subject: 'Reminder: your AC repair visit on tomorrow between 8:00 AM and 12:00 PM',
        }),
      ]);
    });

    it('when the customer prefers email, only the email goes', async () => {
      // Arrange
      const request = aRequest({ customer: aCustomer({ contactPreferences: { channel: 'email' } }) });

      // Act
      await messageCustomer(deps, request);

      // Assert
      expect(notifier.sent.map((message) => message.channel)).toEqual(['email']);
    });

    it('when the tenant has its own template, the customer reads the tenant’s words', async () => {
      // Arrange
      const tenant = aTenant({
        messaging: {
          templates: { reminder: { sms: '{tenantName}: see you {window}, {customerFirstName}!' } },
        },
      });

      // Act
      await messageCustomer(deps, aRequest({ tenant, customer: aCustomer({ email: undefined }) }));

      // Assert
      expect(notifier.sent.map((message) => message.body)).toEqual([
        'Acme Heating & Cooling: see you tomorrow between 8:00 AM and 12:00 PM, Dana!',
      ]);
    });

    it('when attachments are given, only the email carries them', async () => {
      // Arrange
      const calendar = {
        filename: 'appointment.ics',
        contentType: 'text/calendar',
        content: 'BEGIN:VCALENDAR',
      };

      // Act
      await messageCustomer(deps, aRequest({ attachments: [calendar] }));

      // Assert
      expect(notifier.sent.map((message) => [message.channel, message.attachments])).toEqual([
        ['sms', undefined],
        ['email', [calendar]],
      ]);
    });

    it('when the tenant has an SMS number, texts go out from it', async () => {
      // Arrange
      const tenant = aTenant({ messaging: { smsNumber: '+16175550199' } });

      // Act
      await messageCustomer(deps, aRequest({ tenant }));

      // Assert
      expect(notifier.sent.map((message) => [message.channel, message.from])).toEqual([
        ['sms', '+16175550199'],
        ['email', undefined],
      ]);
    });
  });

  describe('the message log', () => {
    it('when sent, each channel’s message is logged with its masked recipient, attempts and message id', async () => {
      // Arrange

      // Act
      await messageCustomer(deps, aRequest());

      // Assert
      expect(notifications.all()).toEqual([
        expect.objectContaining({
          notificationId: 'ntf_0001',
          workOrderId: 'wo_existing',
          customerId: 'cus_existing',
          purpose: 'reminder',
          channel: 'sms',
          recipient: '+1••••••0101',
          status: 'sent',
          attempts: 1,
          messageId: 'msg-1',
          sentAt: now,
        }),
        expect.objectContaining({ channel: 'email', recipient: 'd•••@example.com', status: 'sent' }),
      ]);
    });

    it('when the same dedupe key comes again, nothing is sent again and the outcome says duplicate', async () => {
      // Arrange
      await messageCustomer(deps, aRequest());

      // Act
      const outcomes = await messageCustomer(deps, aRequest());

      // Assert
      expect(notifier.sent).toHaveLength(2);
      expect(outcomes).toEqual([
        expect.objectContaining({ channel: 'sms', notificationId: 'ntf_0001', status: 'duplicate' }),
        expect.objectContaining({ channel: 'email', notificationId: 'ntf_0002', status: 'duplicate' }),
      ]);
    });

    it('when the dedupe key differs (a new booking), the customer is told again', async () => {
      // Arrange
      await messageCustomer(deps, aRequest());

      // Act
      await messageCustomer(deps, aRequest({ dedupeKey: 'reminder-wo_existing-2025-03-14T12:00:00.000Z' }));

      // Assert
      expect(notifier.sent).toHaveLength(4);
    });
  });

  describe('opt-out', () => {
    it('when the customer opted out of texts, the SMS is logged suppressed and only the email goes', async () => {
      // Arrange
      const customer = aCustomer({ optedOut: { sms: '2025-03-01T10:00:00.000Z' } });

      // Act
      const outcomes = await messageCustomer(deps, aRequest({ customer }));

      // Assert
      expect(notifier.sent.map((message) => message.channel)).toEqual(['email']);
      expect(outcomes[0]).toEqual({
        channel: 'sms',
        notificationId: 'ntf_0001',
        status: 'suppressed',
        reason: 'opted out of SMS on 2025-03-01T10:00:00.000Z',
      });
      expect(notifications.all()[0]).toMatchObject({ status: 'suppressed', attempts: 0 });
    });
  });

  describe('retries and failure', () => {
    it('when a send fails twice, the third attempt delivers it after short waits', async () => {
      // Arrange
      notifier.failNextSendWith(new Error('Throttled')).failNextSendWith(new Error('Throttled'));

      // Act
      const outcomes = await messageCustomer(deps, aRequest({ customer: aCustomer({ email: undefined }) }));

      // Assert
      expect(outcomes).toEqual([
        { channel: 'sms', notificationId: 'ntf_0001', status: 'sent', messageId: 'msg-1' },
      ]);
      expect(pauses).toEqual([500, 2000]);
      expect(notifications.all()[0]).toMatchObject({ status: 'sent', attempts: 3 });
      expect(failures).toEqual([]);
    });

    it('when every attempt fails, it is logged failed with the error, the work order’s timeline says so, and the office is told', async () => {
      // Arrange
      for (let attempt = 0; attempt < 3; attempt += 1) {
        notifier.failNextSendWith(
          Object.assign(new Error('Invalid parameter: PhoneNumber'), { name: 'InvalidParameter' }),
        );
      }

      // Act
      const outcomes = await messageCustomer(deps, aRequest({ customer: aCustomer({ email: undefined }) }));

      // Assert
      expect(outcomes).toEqual([
        {
          channel: 'sms',
          notificationId: 'ntf_0001',
          status: 'failed',
          reason: 'InvalidParameter: Invalid parameter: PhoneNumber',
        },
      ]);
      expect(notifications.all()[0]).toMatchObject({
        status: 'failed',
        attempts: 3,
        error: 'InvalidParameter: Invalid parameter: PhoneNumber',
      });
      expect(notifications.events).toEqual([
        {
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          eventId: 'evt_0002',
          action: 'customer_message_failed',
          actorId: 'messenger',
          actorRole: 'system',
          at: now,
          changes: {
            details: {
              after: {
                notificationId: 'ntf_0001',
                purpose: 'reminder',
                channel: 'sms',
                recipient: '+1••••••0101',
                attempts: 3,
                error: 'InvalidParameter: Invalid parameter: PhoneNumber',
              },
            },
          },
        },
      ]);
      // Reported as a customer message, which the operators' alarm counts on its own.
      expect(failures).toEqual([
        {
          message: expect.stringContaining('ntf_0001'),
          error: expect.objectContaining({ name: 'InvalidParameter' }),
          kind: 'customer-message',
        },
      ]);
    });

    it('when the provider’s error names the phone, the log and the report show only its last digits', async () => {
      // Arrange
      for (let attempt = 0; attempt < 3; attempt += 1) {
        notifier.failNextSendWith(
          new Error('Invalid parameter: PhoneNumber Reason: +16175550101 is not valid'),
        );
      }

      // Act
      await messageCustomer(deps, aRequest({ customer: aCustomer({ email: undefined }) }));

      // Assert
      const logged = notifications.all()[0]?.error ?? '';
      expect(logged).toBe('Error: Invalid parameter: PhoneNumber Reason: •••0101 is not valid');
      expect(failures).toEqual([
        {
          message: expect.not.stringContaining('+16175550101'),
          error: expect.objectContaining({ message: logged }),
          kind: 'customer-message',
        },
      ]);
    });

    it('when one channel fails for good, the other is still sent and nothing is thrown', async () => {
      // Arrange
      for (let attempt = 0; attempt < 3; attempt += 1) notifier.failNextSendWith(new Error('Down'));

      // Act
      const outcomes = await messageCustomer(deps, aRequest());

      // Assert
      expect(outcomes.map((outcome) => [outcome.channel, outcome.status])).toEqual([
        ['sms', 'failed'],
        ['email', 'sent'],
      ]);
    });
  });

  describe('quiet hours', () => {
    it('when the message is due in the tenant’s quiet hours, it is held and a schedule releases it when they end', async () => {
      // Arrange: 22:30 in New York.
      clock = new SettableClock('2025-03-13T02:30:00.000Z');
      deps.clock = clock;
      const tenant = aTenant({ messaging: { quietHours: nights } });

      // Act
      const outcomes = await messageCustomer(
        deps,
        aRequest({ tenant, customer: aCustomer({ email: undefined }) }),
      );

      // Assert
      expect(notifier.sent).toEqual([]);
      expect(outcomes).toEqual([
        { channel: 'sms', notificationId: 'ntf_0001', status: 'held', reason: 'quiet hours' },
      ]);
      expect(notifications.all()[0]).toMatchObject({ status: 'held', releaseAt: '2025-03-13T12:00:00.000Z' });
      expect(scheduler.get('message-release-ntf_0001')).toEqual({
        name: 'message-release-ntf_0001',
        at: '2025-03-13T08:00:00',
        timeZone: 'America/New_York',
        payload: {
          kind: 'message-release',
          tenantId: 'ten_acme',
          notificationId: 'ntf_0001',
          customerId: 'cus_existing',
          workOrderId: 'wo_existing',
        },
      });
    });

    it('when the customer’s own quiet hours last longer, the message waits for the later end', async () => {
      // Arrange: 22:30 in New York; the customer sleeps until 09:30.
      deps.clock = new SettableClock('2025-03-13T02:30:00.000Z');
      const tenant = aTenant({ messaging: { quietHours: nights } });
      const customer = aCustomer({
        email: undefined,
        contactPreferences: { quietHours: { start: '22:00', end: '09:30' } },
      });

      // Act
      await messageCustomer(deps, aRequest({ tenant, customer }));

      // Assert
      expect(notifications.all()[0]?.releaseAt).toBe('2025-03-13T13:30:00.000Z');
    });

    it('when a held message is released after quiet hours, it is sent then', async () => {
      // Arrange
      deps.clock = clock = new SettableClock('2025-03-13T02:30:00.000Z');
      const tenant = aTenant({ messaging: { quietHours: nights } });
      const directory = new InMemoryDirectory()
        .addTenant(tenant)
        .addCustomer(aCustomer({ email: undefined }));
      await messageCustomer(deps, aRequest({ tenant, customer: aCustomer({ email: undefined }) }));
      const payload = scheduler.fire('message-release-ntf_0001');
      clock.advance(9.5 * 3_600_000);

      // Act
      const outcome = await releaseHeldMessage({ ...deps, directory }, payload as never);

      // Assert
      expect(outcome).toMatchObject({ channel: 'sms', status: 'sent' });
      expect(notifier.sent).toEqual([expect.objectContaining({ channel: 'sms', to: '+16175550101' })]);
      expect(notifications.all()[0]).toMatchObject({ status: 'sent', attempts: 1 });
    });

    it('when the customer opted out while the message was held, it is suppressed at release', async () => {
      // Arrange
      deps.clock = clock = new SettableClock('2025-03-13T02:30:00.000Z');
      const tenant = aTenant({ messaging: { quietHours: nights } });
      await messageCustomer(deps, aRequest({ tenant, customer: aCustomer({ email: undefined }) }));
      const directory = new InMemoryDirectory()
        .addTenant(tenant)
        .addCustomer(aCustomer({ email: undefined, optedOut: { sms: '2025-03-13T03:00:00.000Z' } }));
      const payload = scheduler.fire('message-release-ntf_0001');
      clock.advance(9.5 * 3_600_000);

      // Act
      const outcome = await releaseHeldMessage({ ...deps, directory }, payload as never);

      // Assert
      expect(outcome).toMatchObject({ status: 'suppressed' });
      expect(notifier.sent).toEqual([]);
      expect(notifications.all()[0]).toMatchObject({ status: 'suppressed' });
    });

    it('when the release fires twice, the message is sent once', async () => {
      // Arrange
      deps.clock = clock = new SettableClock('2025-03-13T02:30:00.000Z');
      const tenant = aTenant({ messaging: { quietHours: nights } });
      const directory = new InMemoryDirectory()
        .addTenant(tenant)
        .addCustomer(aCustomer({ email: undefined }));
      await messageCustomer(deps, aRequest({ tenant, customer: aCustomer({ email: undefined }) }));
      const payload = scheduler.fire('message-release-ntf_0001');
      clock.advance(9.5 * 3_600_000);
      await releaseHeldMessage({ ...deps, directory }, payload as never);

      // Act
      const again = await releaseHeldMessage({ ...deps, directory }, payload as never);

      // Assert
      expect(again).toBeUndefined();
      expect(notifier.sent).toHaveLength(1);
    });

    it('when the release comes while it is still quiet, the message is held again until the end', async () => {
      // Arrange: released at 07:00 local, but the tenant now keeps quiet until 09:00.
      deps.clock = clock = new SettableClock('2025-03-13T02:30:00.000Z');
      const held = aTenant({ messaging: { quietHours: nights } });
      await messageCustomer(deps, aRequest({ tenant: held, customer: aCustomer({ email: undefined }) }));
      const later = aTenant({ messaging: { quietHours: { start: '21:00', end: '09:00' } } });
      const directory = new InMemoryDirectory().addTenant(later).addCustomer(aCustomer({ email: undefined }));
      const payload = scheduler.fire('message-release-ntf_0001');
      clock.advance(8.5 * 3_600_000);

      // Act
      const outcome = await releaseHeldMessage({ ...deps, directory }, payload as never);

      // Assert
      expect(outcome).toMatchObject({ status: 'held' });
      expect(notifier.sent).toEqual([]);
      expect(scheduler.get('message-release-ntf_0001').at).toBe('2025-03-13T09:00:00');
    });
  });
});
