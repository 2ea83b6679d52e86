import { beforeEach, describe, expect, it } from 'vitest';
import {
  getWorkOrder,
  listWorkOrders,
  workOrderLabor,
  workOrderNotes,
  workOrderTimeline,
} from '../../../../lambdas/domain/work-orders/queries.ts';
import type { AuditEvent } from '../../../../lambdas/domain/work-orders/work-order.ts';
import { NotFoundError, ValidationError } from '../../../../lambdas/shared/errors.ts';
import {
  aDispatcher,
  aLaborEntry,
  aNote,
  aTechnicianUser,
  aWorkOrder,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const anEvent = (eventId: string, action: string): AuditEvent => ({
  tenantId: 'ten_acme',
  workOrderId: 'wo_existing',
  eventId,
  action,
  actorId: 'user-dispatcher-1',
  actorRole: 'dispatcher',
  at: '2025-03-12T15:30:00.000Z',
  changes: {},
});

describe('work-order queries', () => {
  let workOrders: InMemoryWorkOrderStore;

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
  });

  describe('getWorkOrder', () => {
    it('when the office asks, it returns any work order of the tenant', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched', { technicianId: 'tec_bo' }));

      // Act
      const workOrder = await getWorkOrder(workOrders, aDispatcher(), 'wo_existing');

      // Assert
      expect(workOrder.technicianId).toBe('tec_bo');
    });

    it('when a technician asks for a work order assigned to someone else, it answers 404', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched', { technicianId: 'tec_bo' }));

      // Act
      const error = await rejectionOf(getWorkOrder(workOrders, aTechnicianUser(), 'wo_existing'));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });

    it("when the id is another tenant's, it answers 404", async () => {
      // Arrange
      workOrders.put(aWorkOrder({ tenantId: 'ten_globex' }));

      // Act
      const error = await rejectionOf(getWorkOrder(workOrders, aDispatcher(), 'wo_existing'));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });
  });

  describe('listWorkOrders', () => {
    beforeEach(() => {
      workOrders
        .put(aWorkOrderAt('dispatched', { workOrderId: 'wo_ana', technicianId: 'tec_ana' }))
        .put(aWorkOrderAt('dispatched', { workOrderId: 'wo_bo', technicianId: 'tec_bo' }));
    });

    it('when a technician lists by status, they get only their own work orders', async () => {
      // Act
      const page = await listWorkOrders(
        workOrders,
        aTechnicianUser(),
        { status: 'dispatched' },
        { limit: 25 },
      );

      // Assert
      expect(page.items.map((workOrder) => workOrder.workOrderId)).toEqual(['wo_ana']);
    });

    it("when a technician asks for another technician's schedule, they still get only their own", async () => {
      // Act
      const page = await listWorkOrders(
        workOrders,
        aTechnicianUser(),
        { technicianId: 'tec_bo' },
        { limit: 25 },
      );

      // Assert
      expect(page.items.map((workOrder) => workOrder.workOrderId)).toEqual(['wo_ana']);
    });

    it('when the office lists by status, it gets every technician’s work orders', async () => {
      // Act
      const page = await listWorkOrders(workOrders, aDispatcher(), { status: 'dispatched' }, { limit: 25 });

      // Assert
      expect(page.items.map((workOrder) => workOrder.workOrderId).sort()).toEqual(['wo_ana', 'wo_bo']);
    });
  });

  describe('workOrderTimeline', () => {
    it('when the trail is longer than a page, it returns it oldest first, page by page', async () => {
      // Arrange
      workOrders.put(aWorkOrder());
      for (const [id, action] of [
        ['evt_0001', 'created'],
        ['evt_0002', 'schedule'],
        ['evt_0003', 'dispatch'],
      ] as const) {
        await workOrders.appendEvent(anEvent(id, action));
      }

      // Act
      const first = await workOrderTimeline(workOrders, aDispatcher(), 'wo_existing', { limit: 2 });
      const second = await workOrderTimeline(workOrders, aDispatcher(), 'wo_existing', {
        limit: 2,
        cursor: first.nextCursor,
      });

      // Assert
      expect(first.items.map((event) => event.action)).toEqual(['created', 'schedule']);
      expect(second.items.map((event) => event.action)).toEqual(['dispatch']);
      expect(second.nextCursor).toBeUndefined();
    });

    it('when the cursor is not one of ours, it refuses naming query.cursor', async () => {
      // Arrange
      workOrders.put(aWorkOrder());

      // Act
      const error = await rejectionOf(
        workOrderTimeline(workOrders, aDispatcher(), 'wo_existing', { limit: 2, cursor: 'forged' }),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]?.field).toBe('query.cursor');
    });

    it('when a technician asks for the trail of a work order not assigned to them, it answers 404', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched', { technicianId: 'tec_bo' }));

      // Act
      const error = await rejectionOf(
        workOrderTimeline(workOrders, aTechnicianUser(), 'wo_existing', { limit: 10 }),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });
  });

  describe('notes and labor', () => {
    it('when the assigned technician reads them, they come back in the order they were taken', async () => {
      // Arrange
      workOrders
        .put(aWorkOrderAt('in_progress'))
        .putNote(aNote({ noteId: 'not_0002', text: 'second' }))
        .putNote(aNote({ noteId: 'not_0001', text: 'first' }))
        .putLaborEntry(aLaborEntry({ laborId: 'lab_0001', minutes: 30 }));

      // Act
      const notes = await workOrderNotes(workOrders, aTechnicianUser(), 'wo_existing');
      const labor = await workOrderLabor(workOrders, aTechnicianUser(), 'wo_existing');

      // Assert
      expect(notes.map((note) => note.text)).toEqual(['first', 'second']);
      expect(labor.map((entry) => entry.minutes)).toEqual([30]);
    });

    it('when another technician asks for them, it answers 404', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { technicianId: 'tec_bo' })).putNote(aNote());

      // Act
      const error = await rejectionOf(workOrderNotes(workOrders, aTechnicianUser(), 'wo_existing'));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });
  });
});
