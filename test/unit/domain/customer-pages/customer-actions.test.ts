import { beforeEach, describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import {
  type AppointmentDependencies,
  cancelAppointment,
  readAppointment,
  updateAccessNotes,
} from '../../../../lambdas/domain/customer-pages/appointment.ts';
import { signWork } from '../../../../lambdas/domain/customer-pages/sign-off-page.ts';
import { gatherWorkSummary } from '../../../../lambdas/domain/execution/work-summary.ts';
import { customerActor } from '../../../../lambdas/domain/shared/actor.ts';
import { allowedActions, canSee } from '../../../../lambdas/domain/work-orders/lifecycle.ts';
import { performAction } from '../../../../lambdas/domain/work-orders/perform-action.ts';
import type { WorkOrderStatus } from '../../../../lambdas/domain/work-orders/work-order.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
} from '../../../../lambdas/shared/errors.ts';
import {
  aCustomer,
  aLocation,
  aServiceType,
  aTechnician,
  aTenant,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryBlobStore } from '../../fakes/in-memory-blob-store.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryPhotoStore } from '../../fakes/in-memory-photo-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const customer = customerActor({ tenantId: 'ten_acme', linkId: 'lnk_0001', workOrderId: 'wo_existing' });

describe('a customer acting through a link', () => {
  let directory: InMemoryDirectory;
  let workOrders: InMemoryWorkOrderStore;
  let photos: InMemoryPhotoStore;
  let dependencies: AppointmentDependencies;

  beforeEach(() => {
    directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(aLocation())
      .addServiceType('ten_acme', aServiceType())
      .addTechnician('ten_acme', aTechnician());
    workOrders = new InMemoryWorkOrderStore(directory);
    photos = new InMemoryPhotoStore();
    dependencies = {
      workOrders,
      directory,
      workflow: new RecordingWorkflow(),
      events: new RecordingEventPublisher(),
      clock: new SettableClock('2025-03-12T15:30:00.000Z'),
      ids: new SequentialIds(),
      reportFailure: () => undefined,
      travelTimes: (settings) => new StraightLineTravel(settings.averageSpeedKmh),
      photos,
      blobs: new InMemoryBlobStore(),
    };
  });

  describe('what they may do', () => {
    it.each<[WorkOrderStatus, string[]]>([
      ['new', ['schedule', 'cancel']],
      ['scheduled', ['reschedule', 'cancel']],
      ['dispatched', ['reschedule', 'cancel']],
      ['en_route', []],
      ['arrived', []],
      ['in_progress', ['complete']],
      ['paused', []],
      ['completed', []],
      ['on_hold', []],
      ['cancelled', []],
    ])('when their work order is %s, they may %j', (status, expected) => {
      // Act
      const actions = allowedActions(aWorkOrderAt(status), customer);

      // Assert
      expect(actions).toEqual(expected);
    });

    it('when the work order is another one than their link’s, they cannot see it', () => {
      // Act
      const visible = canSee(customer, aWorkOrderAt('scheduled', { workOrderId: 'wo_neighbour' }));

      // Assert
      expect(visible).toBe(false);
    });

    it('when they try an office action, it is refused with 403 and nothing changes', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      const error = await rejectionOf(
        performAction(dependencies, customer, 'wo_existing', { action: 'dispatch', technicianId: 'tec_ana' }),
      );

      // Assert
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((await workOrders.get('ten_acme', 'wo_existing'))?.status).toBe('scheduled');
    });

    it('when they try to cancel once the technician is on the way, it is refused with 409 listing what they may do', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route'));

      // Act
      const error = await rejectionOf(cancelAppointment(dependencies, customer, 'changed my mind'));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toMatchObject({
        currentStatus: 'en_route',
        allowedActions: [],
      });
    });

    it('when they act on another work order than their link’s, it is not found', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled', { workOrderId: 'wo_neighbour' }));

      // Act
      const error = await rejectionOf(
        performAction(dependencies, customer, 'wo_neighbour', { action: 'cancel', reason: 'not mine' }),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });
  });

  describe('cancelAppointment', () => {
    it('when a booked visit is cancelled, the reason says it was the customer and the audit names their link', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      const after = await cancelAppointment(dependencies, customer, 'Fixed it myself');

      // Assert
      expect(after).toMatchObject({
        status: 'cancelled',
        cancelReason: 'Cancelled by the customer: Fixed it myself',
      });
      expect(workOrders.eventsOf('ten_acme', 'wo_existing').at(-1)).toMatchObject({
        action: 'cancel',
        actorId: 'lnk_0001',
        actorRole: 'customer',
      });
    });
  });

  describe('updateAccessNotes', () => {
    it('when the visit is booked, the location’s notes change and the work order carries them with an audit event', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched', { accessNotes: 'Gate code 4412; dog in the yard' }));

      // Act
      const after = await updateAccessNotes(dependencies, customer, 'Use the side gate, code 9090');

      // Assert
      expect((await directory.getLocation('ten_acme', 'loc_home'))?.accessNotes).toBe(
        'Use the side gate, code 9090',
      );
      expect(after.accessNotes).toBe('Use the side gate, code 9090');
      expect(workOrders.eventsOf('ten_acme', 'wo_existing').at(-1)).toMatchObject({
        action: 'updateAccessNotes',
        actorRole: 'customer',
        changes: {
          accessNotes: { before: 'Gate code 4412; dog in the yard', after: 'Use the side gate, code 9090' },
        },
      });
    });

    it('when the technician is on site already, the notes are refused with 409 and the location is left as it was', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('arrived'));

      // Act
      const error = await rejectionOf(updateAccessNotes(dependencies, customer, 'Too late'));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((await directory.getLocation('ten_acme', 'loc_home'))?.accessNotes).toBe(
        'Gate code 4412; dog in the yard',
      );
    });
  });

  describe('readAppointment', () => {
    it('when the visit is dispatched, it shows the technician by first name only and what the customer may change', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched'));

      // Act
      const appointment = await readAppointment(dependencies, customer);

      // Assert
      expect(appointment).toMatchObject({
        technicianFirstName: 'Ana',
        customerFirstName: 'Dana',
        serviceName: 'AC repair',
        canUpdateAccessNotes: true,
        canChooseTime: true,
        canCancel: true,
      });
    });
  });

  describe('signWork', () => {
    it('when the summary they were shown is still the work’s, their signature completes the work order', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      const workOrder = await workOrders.get('ten_acme', 'wo_existing');
      if (!workOrder) throw new Error('no work order');
      const { hash } = await gatherWorkSummary({ workOrders, directory, photos }, workOrder);

      // Act
      const after = await signWork(dependencies, customer, {
        signerName: 'Dana Whitfield',
        summaryHash: hash,
        strokes: [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      });

      // Assert
      expect(after).toMatchObject({
        status: 'completed',
        signature: {
          signerName: 'Dana Whitfield',
          summaryHash: hash,
          strokes: [
            [
              [1, 2],
              [3, 4],
            ],
          ],
        },
      });
      expect(workOrders.eventsOf('ten_acme', 'wo_existing').at(-1)).toMatchObject({
        action: 'complete',
        actorRole: 'customer',
      });
    });

    it('when no labor is recorded yet, the completion gate refuses with 422', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { laborMinutes: 0 }));

      // Act
      const error = await rejectionOf(
        signWork(dependencies, customer, { signerName: 'Dana', summaryHash: 'a'.repeat(64) }),
      );

      // Assert
      expect(error).toBeInstanceOf(UnprocessableError);
      expect((error as UnprocessableError).extensions).toMatchObject({ missing: ['labor'] });
    });
  });
});
