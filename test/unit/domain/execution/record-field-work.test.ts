import { beforeEach, describe, expect, it } from 'vitest';
import { addNote, recordLabor } from '../../../../lambdas/domain/execution/record-field-work.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, aTechnicianUser, aWorkOrder, aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-14T13:40:00.000Z';

describe('field work', () => {
  let workOrders: InMemoryWorkOrderStore;
  let dependencies: Parameters<typeof addNote>[0];

  const stored = () => workOrders.get('ten_acme', 'wo_existing');

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    dependencies = { workOrders, clock: new SettableClock(now), ids: new SequentialIds() };
  });

  describe('addNote', () => {
    it('when the assigned technician writes a note, it stores it time-stamped and counts it on the work order', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('arrived', { noteCount: 1, version: 5 }));

      // Act
      const note = await addNote(dependencies, aTechnicianUser(), 'wo_existing', 'Breaker 14 tripped twice');

      // Assert
      expect(note).toEqual({
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        noteId: expect.stringMatching(/^not_/),
        text: 'Breaker 14 tripped twice',
        authorId: 'user-technician-ana',
        authorRole: 'technician',
        at: now,
      });
      expect(await workOrders.notes('ten_acme', 'wo_existing')).toEqual([note]);
      expect(await stored()).toMatchObject({ noteCount: 2, version: 5 });
    });

    it('when a note is added, it records it in the audit trail', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));

      // Act
      const note = await addNote(dependencies, aDispatcher(), 'wo_existing', 'Customer prefers mornings');

      // Assert
      expect(workOrders.eventsOf('ten_acme', 'wo_existing')).toEqual([
        {
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          eventId: expect.stringMatching(/^evt_/),
          action: 'note_added',
          actorId: 'user-dispatcher-1',
          actorRole: 'dispatcher',
          at: now,
          changes: { details: { after: { noteId: note.noteId, text: 'Customer prefers mornings' } } },
        },
      ]);
    });

    it('when the work is already paid, the office may still add a note', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('paid'));

      // Act
      await addNote(dependencies, aDispatcher(), 'wo_existing', 'Customer sent a thank-you card');

      // Assert
      expect(await workOrders.notes('ten_acme', 'wo_existing')).toHaveLength(1);
    });

    it('when the work order is cancelled, it refuses with 409 and stores nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('cancelled'));

      // Act
      const error = await rejectionOf(addNote(dependencies, aDispatcher(), 'wo_existing', 'Too late'));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toMatchObject({ currentStatus: 'cancelled' });
      expect(await workOrders.notes('ten_acme', 'wo_existing')).toEqual([]);
      expect(workOrders.eventsOf('ten_acme', 'wo_existing')).toEqual([]);
    });

    it('when the technician is not the one assigned, it answers 404', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('arrived', { technicianId: 'tec_bo' }));

      // Act
      const error = await rejectionOf(addNote(dependencies, aTechnicianUser(), 'wo_existing', 'Hello'));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
      expect(await workOrders.notes('ten_acme', 'wo_existing')).toEqual([]);
    });
  });

  describe('recordLabor', () => {
    it('when the assigned technician records time, it is recorded as theirs and added to the work order', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { laborMinutes: 30 }));

      // Act
      const entry = await recordLabor(dependencies, aTechnicianUser(), 'wo_existing', {
        minutes: 65,
        startedAt: '2025-03-14T12:30:00.000Z',
      });

      // Assert
      expect(entry).toEqual({
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        laborId: expect.stringMatching(/^lab_/),
        technicianId: 'tec_ana',
        minutes: 65,
        startedAt: '2025-03-14T12:30:00.000Z',
        recordedBy: 'user-technician-ana',
        at: now,
      });
      expect(await workOrders.laborEntries('ten_acme', 'wo_existing')).toEqual([entry]);
      expect((await stored())?.laborMinutes).toBe(95);
      expect(workOrders.eventsOf('ten_acme', 'wo_existing')[0]).toMatchObject({
        action: 'labor_recorded',
        changes: { details: { after: { laborId: entry.laborId, technicianId: 'tec_ana', minutes: 65 } } },
      });
    });

    it('when the technician names themselves, it records the time as theirs', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('arrived'));

      // Act
      const entry = await recordLabor(dependencies, aTechnicianUser(), 'wo_existing', {
        minutes: 15,
        technicianId: 'tec_ana',
      });

      // Assert
      expect(entry.technicianId).toBe('tec_ana');
    });

    it('when a technician names another technician, it refuses naming body.technicianId', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const error = await rejectionOf(
        recordLabor(dependencies, aTechnicianUser(), 'wo_existing', { minutes: 30, technicianId: 'tec_bo' }),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual([
        'body.technicianId',
      ]);
      expect(await workOrders.laborEntries('ten_acme', 'wo_existing')).toEqual([]);
    });

    it('when the office names a helper technician, it records the time as the helper’s', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const entry = await recordLabor(dependencies, aDispatcher(), 'wo_existing', {
        minutes: 40,
        technicianId: 'tec_bo',
      });

      // Assert
      expect(entry).toMatchObject({ technicianId: 'tec_bo', recordedBy: 'user-dispatcher-1' });
    });

    it('when the office names no technician, it records the time for the assigned one', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const entry = await recordLabor(dependencies, aDispatcher(), 'wo_existing', { minutes: 40 });

      // Assert
      expect(entry.technicianId).toBe('tec_ana');
    });

    it('when the office names no technician and none is assigned, it refuses naming body.technicianId', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched', { technicianId: undefined }));

      // Act
      const error = await rejectionOf(
        recordLabor(dependencies, aDispatcher(), 'wo_existing', { minutes: 40 }),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
    });

    it.each(['new', 'scheduled', 'completed', 'on_hold', 'cancelled'] as const)(
      'when the work order is %s, it refuses with 409 listing where labor is taken',
      async (status) => {
        // Arrange
        const workOrder = aWorkOrderAt(status, { technicianId: 'tec_ana' });
        workOrders.put(workOrder);

        // Act
        const error = await rejectionOf(
          recordLabor(dependencies, aDispatcher(), 'wo_existing', { minutes: 30 }),
        );

        // Assert
        expect(error).toBeInstanceOf(ConflictError);
        expect((error as ConflictError).extensions).toEqual({
          currentStatus: status,
          allowedIn: ['dispatched', 'en_route', 'arrived', 'in_progress', 'paused'],
        });
        expect(await stored()).toEqual(workOrder);
        expect(await workOrders.laborEntries('ten_acme', 'wo_existing')).toEqual([]);
      },
    );
  });
});
