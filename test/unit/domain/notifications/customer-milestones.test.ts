import { beforeEach, describe, expect, it } from 'vitest';
import {
  completionNote,
  describeMinutes,
  type MilestoneDependencies,
  tellCustomerMilestone,
} from '../../../../lambdas/domain/notifications/customer-milestones.ts';
import {
  aCustomer,
  aServiceType,
  aTechnician,
  aTenant,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryNotificationLog } from '../../fakes/in-memory-notification-log.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingNotifier } from '../../fakes/recording-notifier.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';

// Friday 14 March 2025, 8:40 in Boston: the technician sets off for the 9:00 visit.
const now = '2025-03-14T12:40:00.000Z';
const enRoute = (overrides: { version?: number; eta?: string } = {}) => ({
  milestone: 'en_route' as const,
  tenantId: 'ten_acme',
  workOrderId: 'wo_existing',
  version: overrides.version ?? 5,
  technicianId: 'tec_ana',
  ...(overrides.eta ? { eta: overrides.eta } : {}),
});
const completed = { milestone: 'completed' as const, tenantId: 'ten_acme', workOrderId: 'wo_existing' };

describe('customer milestones', () => {
  let workOrders: InMemoryWorkOrderStore;
  let notifier: RecordingNotifier;
  let clock: SettableClock;
  let deps: MilestoneDependencies;

  beforeEach(() => {
    const directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer({ contactPreferences: { channel: 'sms' } }))
      .addServiceType('ten_acme', aServiceType())
      .addTechnician('ten_acme', aTechnician());
    workOrders = new InMemoryWorkOrderStore(directory);
    notifier = new RecordingNotifier();
    clock = new SettableClock(now);
    deps = {
      workOrders,
      directory,
      notifier,
      notifications: new InMemoryNotificationLog(workOrders),
      scheduler: new RecordingScheduler(),
      clock,
      ids: new SequentialIds(),
      reportFailure: () => {},
      pause: async () => {},
    };
  });

  describe('en route', () => {
    it('when the technician sets off with an ETA, the customer is told who is coming and when, in local time', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route', { eta: '2025-03-14T13:10:00.000Z' }));

      // Act
      const result = await tellCustomerMilestone(deps, enRoute({ eta: '2025-03-14T13:10:00.000Z' }));

      // Assert
      expect(result).toMatchObject({ outcome: 'sent', messages: [{ channel: 'sms', status: 'sent' }] });
      expect(notifier.sent).toHaveLength(1);
      expect(notifier.sent[0]).toMatchObject({
        channel: 'sms',
        to: '+16175550101',
        workOrderId: 'wo_existing',
      });
      expect(notifier.sent[0]?.body).toContain('Ana from Acme Heating & Cooling is on the way');
      expect(notifier.sent[0]?.body).toContain('should arrive around 9:10 AM');
    });

    it('when the event is delivered twice, the customer gets one message', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route'));
      await tellCustomerMilestone(deps, enRoute({ eta: '2025-03-14T13:10:00.000Z' }));

      // Act
      await tellCustomerMilestone(deps, enRoute({ eta: '2025-03-14T13:10:00.000Z' }));

      // Assert
      expect(notifier.sent).toHaveLength(1);
    });

    it('when the technician sets off again after a reschedule (a later version), the customer is told again', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route'));
      await tellCustomerMilestone(deps, enRoute({ version: 5 }));

      // Act
      await tellCustomerMilestone(deps, enRoute({ version: 11 }));

      // Assert
      expect(notifier.sent).toHaveLength(2);
    });

    it('when no ETA is given, the booked start stands in while it is ahead', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route', { eta: undefined }));

      // Act
      await tellCustomerMilestone(deps, enRoute());

      // Assert
      expect(notifier.sent[0]?.body).toContain('should arrive around 9:00 AM');
    });

    it('when no ETA is given and the booked start has passed, no time is promised', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route', { eta: undefined }));
      clock.advance(45 * 60_000);

      // Act
      await tellCustomerMilestone(deps, enRoute());

      // Assert
      expect(notifier.sent).toHaveLength(1);
      expect(notifier.sent[0]?.body).toContain('is on the way');
      expect(notifier.sent[0]?.body).not.toContain('arrive around');
    });

    it('when the event arrives after the technician has arrived, nothing is sent', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('arrived'));

      // Act
      const result = await tellCustomerMilestone(deps, enRoute({ eta: '2025-03-14T13:10:00.000Z' }));

      // Assert
      expect(result).toEqual({ outcome: 'passed' });
      expect(notifier.sent).toEqual([]);
    });

    it('when the work order is not the tenant’s, nothing is sent', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route'));

      // Act
      const result = await tellCustomerMilestone(deps, { ...enRoute(), tenantId: 'ten_other' });

      // Assert
      expect(result).toEqual({ outcome: 'unknown work order' });
      expect(notifier.sent).toEqual([]);
    });
  });

  describe('completion', () => {
    it('when the work is completed, the customer is thanked with what was done', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { laborMinutes: 95, partCount: 2 }));

      // Act
      const result = await tellCustomerMilestone(deps, completed);

      // Assert
      expect(result).toMatchObject({ outcome: 'sent' });
      expect(notifier.sent).toHaveLength(1);
      expect(notifier.sent[0]?.body).toContain('has completed your AC repair');
      expect(notifier.sent[0]?.body).toContain('Work done: 1 hour 35 minutes of labor, 2 parts. Thank you!');
    });

    it('when the completion is delivered twice, the customer is thanked once', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));
      await tellCustomerMilestone(deps, completed);

      // Act
      await tellCustomerMilestone(deps, completed);

      // Assert
      expect(notifier.sent).toHaveLength(1);
    });
  });

  describe('wording', () => {
    it.each([
      [45, '45 minutes'],
      [60, '1 hour'],
      [61, '1 hour 1 minute'],
      [150, '2 hours 30 minutes'],
    ])('when %i minutes were worked, they read as "%s"', (minutes, text) => {
      // Act
      const read = describeMinutes(minutes);

      // Assert
      expect(read).toBe(text);
    });

    it('when nothing was recorded, the completion note only thanks; parts alone are named', () => {
      // Act
      const notes = [completionNote({}), completionNote({ partCount: 1 })];

      // Assert
      expect(notes).toEqual(['Thank you!', 'Work done: 1 part. Thank you!']);
    });
  });
});
