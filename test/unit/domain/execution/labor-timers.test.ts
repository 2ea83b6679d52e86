import { beforeEach, describe, expect, it } from 'vitest';
import {
  laborOf,
  startLaborTimer,
  stopLaborTimer,
  timedMinutes,
} from '../../../../lambdas/domain/execution/labor-timers.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, aTechnicianUser, aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryFieldWorkStore } from '../../fakes/in-memory-field-work-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const startedAt = '2025-03-14T13:40:00.000Z';

describe('labor timers', () => {
  let workOrders: InMemoryWorkOrderStore;
  let timers: InMemoryFieldWorkStore;
  let clock: SettableClock;
  let dependencies: Parameters<typeof startLaborTimer>[0];

  const stored = () => workOrders.get('ten_acme', 'wo_existing');
  const trail = () => workOrders.eventsOf('ten_acme', 'wo_existing');

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    timers = new InMemoryFieldWorkStore(workOrders);
    clock = new SettableClock(startedAt);
    dependencies = { workOrders, timers, clock, ids: new SequentialIds() };
  });

  describe('startLaborTimer', () => {
    it('when the assigned technician starts a timer, it runs for them from now, with its audit event', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const timer = await startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});

      // Assert
      expect(timer).toEqual({
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        technicianId: 'tec_ana',
        startedAt,
        startedBy: 'user-technician-ana',
        starterRole: 'technician',
      });
      expect(await timers.runningTimers('ten_acme', 'wo_existing')).toEqual([timer]);
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'labor_timer_started',
          actorId: 'user-technician-ana',
          at: startedAt,
          changes: { details: { after: { technicianId: 'tec_ana', startedAt } } },
        }),
      ]);
    });

    it('when a timer already runs for the technician, starting again refuses with 409 naming when it started', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      await startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});
      clock.advance(5 * 60_000);

      // Act
      const error = await rejectionOf(startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {}));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toEqual({ technicianId: 'tec_ana', startedAt });
      expect(await timers.runningTimers('ten_acme', 'wo_existing')).toHaveLength(1);
    });

    it('when the office starts a timer for a helper while the assigned technician runs one, both run', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      await startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});

      // Act
      await startLaborTimer(dependencies, aDispatcher(), 'wo_existing', { technicianId: 'tec_bo' });

      // Assert
      const running = await timers.runningTimers('ten_acme', 'wo_existing');
      expect(running.map((timer) => timer.technicianId)).toEqual(['tec_ana', 'tec_bo']);
    });

    it('when a technician names another technician, it refuses naming body.technicianId', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const error = await rejectionOf(
        startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', { technicianId: 'tec_bo' }),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual([
        'body.technicianId',
      ]);
    });

    it('when the technician is not the one assigned, it answers 404', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { technicianId: 'tec_bo' }));

      // Act
      const error = await rejectionOf(startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {}));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
      expect(await timers.runningTimers('ten_acme', 'wo_existing')).toEqual([]);
    });

    it.each(['new', 'scheduled', 'completed', 'cancelled'] as const)(
      'when the work order is %s, it refuses with 409 and starts nothing',
      async (status) => {
        // Arrange
        workOrders.put(aWorkOrderAt(status, { technicianId: 'tec_ana' }));

        // Act
        const error = await rejectionOf(startLaborTimer(dependencies, aDispatcher(), 'wo_existing', {}));

        // Assert
        expect(error).toBeInstanceOf(ConflictError);
        expect((error as ConflictError).extensions).toMatchObject({ currentStatus: status });
        expect(await timers.runningTimers('ten_acme', 'wo_existing')).toEqual([]);
      },
    );
  });

  describe('stopLaborTimer', () => {
    it('when the running timer is stopped, it records a labor entry with start, end and minutes and adds them to the work order', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { laborMinutes: 30 }));
      await startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});
      clock.advance(47 * 60_000 + 20_000);

      // Act
      const entry = await stopLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});

      // Assert
      expect(entry).toEqual({
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        laborId: expect.stringMatching(/^lab_/),
        technicianId: 'tec_ana',
        minutes: 47,
        startedAt,
        endedAt: '2025-03-14T14:27:20.000Z',
        recordedBy: 'user-technician-ana',
        at: '2025-03-14T14:27:20.000Z',
      });
      expect(await workOrders.laborEntries('ten_acme', 'wo_existing')).toEqual([entry]);
      expect((await stored())?.laborMinutes).toBe(77);
      expect(await timers.runningTimers('ten_acme', 'wo_existing')).toEqual([]);
      expect(trail().at(-1)).toMatchObject({
        action: 'labor_recorded',
        changes: { details: { after: { laborId: entry.laborId, minutes: 47, startedAt, timer: true } } },
      });
    });

    it('when no timer runs, stopping refuses with 409 and records nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const error = await rejectionOf(stopLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {}));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toEqual({ technicianId: 'tec_ana' });
      expect(await workOrders.laborEntries('ten_acme', 'wo_existing')).toEqual([]);
    });

    it('when the timer is stopped twice, the second stop refuses with 409 and the time is recorded once', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { laborMinutes: 0 }));
      await startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});
      clock.advance(20 * 60_000);
      await stopLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});

      // Act
      const error = await rejectionOf(stopLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {}));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((await stored())?.laborMinutes).toBe(20);
    });

    it("when the office stops a helper's timer, the entry is the helper's and the office recorded it", async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      await startLaborTimer(dependencies, aDispatcher(), 'wo_existing', { technicianId: 'tec_bo' });
      clock.advance(60 * 60_000);

      // Act
      const entry = await stopLaborTimer(dependencies, aDispatcher(), 'wo_existing', {
        technicianId: 'tec_bo',
      });

      // Assert
      expect(entry).toMatchObject({ technicianId: 'tec_bo', minutes: 60, recordedBy: 'user-dispatcher-1' });
    });

    it('when work is paused, the running timer can still be stopped', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      await startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});
      workOrders.put({ ...(await stored())!, status: 'paused' });
      clock.advance(15 * 60_000);

      // Act
      const entry = await stopLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});

      // Assert
      expect(entry.minutes).toBe(15);
    });
  });

  describe('timedMinutes', () => {
    it.each([
      ['2025-03-14T13:40:00.000Z', '2025-03-14T13:40:10.000Z', 1],
      ['2025-03-14T13:40:00.000Z', '2025-03-14T13:41:29.000Z', 1],
      ['2025-03-14T13:40:00.000Z', '2025-03-14T13:41:30.000Z', 2],
      ['2025-03-14T13:40:00.000Z', '2025-03-14T16:10:00.000Z', 150],
    ])('when a timer ran from %s to %s, it counts %i minutes', (from, to, minutes) => {
      // Act
      const counted = timedMinutes(from, new Date(to));

      // Assert
      expect(counted).toBe(minutes);
    });
  });

  describe('laborOf', () => {
    it('when read, it lists the entries and the running timers', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      await startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});
      clock.advance(10 * 60_000);
      await stopLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});
      await startLaborTimer(dependencies, aTechnicianUser(), 'wo_existing', {});

      // Act
      const labor = await laborOf(dependencies, aTechnicianUser(), 'wo_existing');

      // Assert
      expect(labor.entries.map((entry) => entry.minutes)).toEqual([10]);
      expect(labor.running.map((timer) => timer.startedAt)).toEqual(['2025-03-14T13:50:00.000Z']);
    });
  });
});
