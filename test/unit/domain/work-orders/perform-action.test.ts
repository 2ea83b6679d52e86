import { beforeEach, describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import { signatureImageKey } from '../../../../lambdas/domain/execution/sign-off.ts';
import { gatherWorkSummary } from '../../../../lambdas/domain/execution/work-summary.ts';
import type { Actor } from '../../../../lambdas/domain/shared/actor.ts';
import { type ActionInput, performAction } from '../../../../lambdas/domain/work-orders/perform-action.ts';
import type { WorkOrder, WorkOrderStatus } from '../../../../lambdas/domain/work-orders/work-order.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '../../../../lambdas/shared/errors.ts';
import {
  aCustomer,
  aDispatcher,
  aLocation,
  aNote,
  anInvoice,
  aServiceType,
  aTechnician,
  aTechnicianUser,
  aTenant,
  aWorkOrder,
  aWorkOrderAt,
  bookedVisit,
} from '../../../fixtures/unit-records.ts';
import { InMemoryBlobStore } from '../../fakes/in-memory-blob-store.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryPhotoStore } from '../../fakes/in-memory-photo-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { RecordingWorkflow, stepFunctionsError } from '../../fakes/recording-workflow.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-12T15:30:00.000Z';

/** The fields a waiting state of the state machine stores on the work order (its token and what it waits through). */
const waitingIn = (state: string, waitingWhile: WorkOrderStatus[]): Partial<WorkOrder> => ({
  workflowState: state,
  taskToken: `token-${state}`,
  waitingWhile,
});
const awaitScheduling = waitingIn('AwaitScheduling', ['new', 'on_hold']);
const awaitDispatch = waitingIn('AwaitDispatch', ['scheduled', 'on_hold']);
const awaitFieldWork = waitingIn('AwaitFieldWork', [
  'dispatched',
  'en_route',
  'arrived',
  'in_progress',
  'paused',
  'on_hold',
]);
const awaitApproval = waitingIn('AwaitApproval', ['completed']);
const awaitPayment = waitingIn('AwaitPayment', ['invoiced']);

/** A well-formed hash of no summary in particular, for refusals decided before the hash is looked at. */
const anyHash = 'a'.repeat(64);
const pngBytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49]);

const extensionsOf = (error: unknown) => (error as ConflictError).extensions;
const fieldsOf = (error: unknown) => (error as ValidationError).errors.map((problem) => problem.field);

describe('performAction', () => {
  let directory: InMemoryDirectory;
  let workOrders: InMemoryWorkOrderStore;
  let workflow: RecordingWorkflow;
  let events: RecordingEventPublisher;
  let failures: string[];
  let dependencies: Parameters<typeof performAction>[0];
  let photos: InMemoryPhotoStore;
  let blobs: InMemoryBlobStore;

  const act = (actor: Actor, input: ActionInput, options?: { expectedVersion?: number }) =>
    performAction(dependencies, actor, 'wo_existing', input, options);
  const stored = () => workOrders.get('ten_acme', 'wo_existing');
  const trail = () => workOrders.eventsOf('ten_acme', 'wo_existing');
  /** The hash of the work summary as the customer would be shown it now. */
  const currentHash = async () => {
    const workOrder = await stored();
    if (!workOrder) throw new Error('no work order to summarize');
    return (await gatherWorkSummary({ workOrders, directory, photos }, workOrder)).hash;
  };
  const signedBy = async (signerName: string) => ({ signerName, summaryHash: await currentHash() });

  beforeEach(() => {
    failures = [];
    directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(aLocation())
      .addServiceType('ten_acme', aServiceType())
      .addTechnician('ten_acme', aTechnician())
      .addTechnician(
        'ten_acme',
        aTechnician({ technicianId: 'tec_bo', name: 'Bo Lind', skills: ['plumbing'] }),
      );
    workOrders = new InMemoryWorkOrderStore(directory);
    workflow = new RecordingWorkflow();
    events = new RecordingEventPublisher();
    photos = new InMemoryPhotoStore();
    blobs = new InMemoryBlobStore();
    dependencies = {
      workOrders,
      directory,
      workflow,
      events,
      clock: new SettableClock(now),
      ids: new SequentialIds(),
      reportFailure: (message) => failures.push(message),
      travelTimes: (settings) => new StraightLineTravel(settings.averageSpeedKmh),
      photos,
      blobs,
    };
  });

  describe('schedule', () => {
    it('when the work order is new, it books the visit for the estimated duration and bumps the version', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new', version: 1 }));

      // Act
      const result = await act(aDispatcher(), { action: 'schedule', start: '2025-03-14T13:00:00.000Z' });

      // Assert
      expect(result).toMatchObject({
        status: 'scheduled',
        estimatedMinutes: 90,
        scheduledStart: '2025-03-14T13:00:00.000Z',
        scheduledEnd: '2025-03-14T14:30:00.000Z',
        scheduledDate: '2025-03-14',
        version: 2,
        updatedAt: now,
      });
      expect(result).not.toHaveProperty('technicianId');
      expect(await stored()).toEqual(result);
    });

    it('when an end and a technician are given, it books that slot for that technician', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));

      // Act
      const result = await act(aDispatcher(), {
        action: 'schedule',
        start: '2025-03-14T13:00:00.000Z',
        end: '2025-03-14T16:00:00.000Z',
        technicianId: 'tec_ana',
      });

      // Assert
      expect(result).toMatchObject({
        scheduledStart: '2025-03-14T13:00:00.000Z',
        scheduledEnd: '2025-03-14T16:00:00.000Z',
        technicianId: 'tec_ana',
      });
    });

    it('when the work order carries its own estimate, it books that duration rather than the service type’s', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new', estimatedMinutes: 45 }));

      // Act
      const result = await act(aDispatcher(), { action: 'schedule', start: '2025-03-14T13:00:00.000Z' });

      // Assert
      expect(result.scheduledEnd).toBe('2025-03-14T13:45:00.000Z');
    });

    it('when the visit starts late in the evening, it files it under the local day of the tenant', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));

      // Act
      const result = await act(aDispatcher(), { action: 'schedule', start: '2025-03-15T02:00:00.000Z' });

      // Assert
      expect(result.scheduledDate).toBe('2025-03-14');
    });

    it('when scheduled, it records who booked what in the audit trail', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));

      // Act
      await act(aDispatcher(), { action: 'schedule', start: '2025-03-14T13:00:00.000Z' });

      // Assert
      expect(trail()).toEqual([
        {
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          eventId: expect.stringMatching(/^evt_/),
          action: 'schedule',
          actorId: 'user-dispatcher-1',
          actorRole: 'dispatcher',
          at: now,
          changes: {
            status: { before: 'new', after: 'scheduled' },
            estimatedMinutes: { before: undefined, after: 90 },
            scheduledStart: { before: undefined, after: '2025-03-14T13:00:00.000Z' },
            scheduledEnd: { before: undefined, after: '2025-03-14T14:30:00.000Z' },
          },
        },
      ]);
    });

    it('when scheduled, it publishes WorkOrder.Scheduled with the visit', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));

      // Act
      await act(aDispatcher(), {
        action: 'schedule',
        start: '2025-03-14T13:00:00.000Z',
        technicianId: 'tec_ana',
      });

      // Assert
      expect(events.published).toEqual([
        {
          type: 'WorkOrder.Scheduled',
          version: 1,
          tenantId: 'ten_acme',
          occurredAt: now,
          detail: {
            workOrderId: 'wo_existing',
            status: 'scheduled',
            previousStatus: 'new',
            version: 2,
            actorId: 'user-dispatcher-1',
            actorRole: 'dispatcher',
            scheduledStart: '2025-03-14T13:00:00.000Z',
            scheduledEnd: '2025-03-14T14:30:00.000Z',
            technicianId: 'tec_ana',
          },
        },
      ]);
    });

    it('when AwaitScheduling holds a token, it resumes it with the new status and version and drops it', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new', version: 3, ...awaitScheduling }));

      // Act
      await act(aDispatcher(), { action: 'schedule', start: '2025-03-14T13:00:00.000Z' });

      // Assert
      expect(workflow.successes).toEqual([
        { taskToken: 'token-AwaitScheduling', output: { status: 'scheduled', version: 4 } },
      ]);
      expect(workflow.failures).toEqual([]);
      const saved = await stored();
      expect(saved).not.toHaveProperty('taskToken');
      expect(saved).not.toHaveProperty('waitingWhile');
    });

    it('when no token is stored yet, it answers nothing: the waiting state will see the new status', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));

      // Act
      await act(aDispatcher(), { action: 'schedule', start: '2025-03-14T13:00:00.000Z' });

      // Assert
      expect(workflow.successes).toEqual([]);
      expect(workflow.failures).toEqual([]);
    });

    it.each<[string, Partial<WorkOrder>, string[]]>([
      ['no service location', { locationId: undefined }, ['serviceLocation']],
      ['no service type', { serviceTypeId: undefined }, ['serviceType']],
      ['a service type the tenant does not have', { serviceTypeId: 'svc_gone' }, ['serviceType']],
      ['neither', { locationId: undefined, serviceTypeId: undefined }, ['serviceLocation', 'serviceType']],
    ])(
      'when the work order has %s, it refuses with 422 naming what is missing and changes nothing',
      async (_case, fields, missing) => {
        // Arrange
        const workOrder = aWorkOrder({ status: 'new', ...fields });
        workOrders.put(workOrder);

        // Act
        const error = await rejectionOf(
          act(aDispatcher(), { action: 'schedule', start: '2025-03-14T13:00:00.000Z' }),
        );

        // Assert
        expect(error).toBeInstanceOf(UnprocessableError);
        expect(extensionsOf(error)).toEqual({ missing });
        expect(await stored()).toEqual(workOrder);
        expect(trail()).toEqual([]);
        expect(events.published).toEqual([]);
      },
    );

    it.each<[string, Omit<Extract<ActionInput, { action: 'schedule' }>, 'action'>, string]>([
      ['the start is in the past', { start: '2025-03-12T15:29:00.000Z' }, 'body.start'],
      [
        'the end is before the start',
        { start: '2025-03-14T13:00:00.000Z', end: '2025-03-14T12:00:00.000Z' },
        'body.end',
      ],
      [
        'the end is the start',
        { start: '2025-03-14T13:00:00.000Z', end: '2025-03-14T13:00:00.000Z' },
        'body.end',
      ],
      [
        'the technician does not exist',
        { start: '2025-03-14T13:00:00.000Z', technicianId: 'tec_gone' },
        'body.technicianId',
      ],
    ])('when %s, it refuses with 400 naming the field and changes nothing', async (_case, body, field) => {
      // Arrange
      const workOrder = aWorkOrder({ status: 'new' });
      workOrders.put(workOrder);

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'schedule', ...body }));

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect(fieldsOf(error)).toEqual([field]);
      expect(await stored()).toEqual(workOrder);
    });

    it('when the work order is already scheduled, it refuses with 409 listing what may be done now', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      const error = await rejectionOf(
        act(aDispatcher(), { action: 'schedule', start: '2025-03-14T13:00:00.000Z' }),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect(extensionsOf(error)).toEqual({
        currentStatus: 'scheduled',
        allowedActions: ['reschedule', 'dispatch', 'cancel', 'hold'],
      });
    });
  });

  describe('reschedule', () => {
    it('when dispatched, it releases the visit and the technician and sends the work order back to new', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched', { version: 4 }));

      // Act
      const result = await act(aDispatcher(), {
        action: 'reschedule',
        reason: 'Customer called: not home Friday',
      });

      // Assert
      expect(result).toMatchObject({ status: 'new', version: 5, estimatedMinutes: 90 });
      for (const field of ['scheduledStart', 'scheduledEnd', 'scheduledDate', 'technicianId']) {
        expect(result).not.toHaveProperty(field);
      }
      expect(await stored()).toEqual(result);
    });

    it('when en route with a delay, it drops the eta and the delay too', async () => {
      // Arrange
      workOrders.put(
        aWorkOrderAt('en_route', { delay: { reason: 'Traffic', at: '2025-03-14T12:55:00.000Z' } }),
      );

      // Act
      const result = await act(aDispatcher(), { action: 'reschedule', reason: 'Van broke down' });

      // Assert
      expect(result).not.toHaveProperty('eta');
      expect(result).not.toHaveProperty('delay');
    });

    it('when rescheduled, it keeps the reason and the released visit in the history', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      await act(aDispatcher(), { action: 'reschedule', reason: 'Parts on back order' });

      // Assert
      const [event] = trail();
      expect(event?.changes).toMatchObject({
        status: { before: 'scheduled', after: 'new' },
        scheduledStart: { before: bookedVisit.scheduledStart, after: undefined },
        details: { after: { reason: 'Parts on back order' } },
      });
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.Rescheduled',
        detail: { reason: 'Parts on back order', previousStart: bookedVisit.scheduledStart },
      });
    });

    it('when a waiting state holds a token, it fails it with WorkOrder.Rescheduled so the workflow books again', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched', awaitFieldWork));

      // Act
      await act(aDispatcher(), { action: 'reschedule', reason: 'Parts on back order' });

      // Assert
      expect(workflow.failures).toEqual([
        { taskToken: 'token-AwaitFieldWork', error: 'WorkOrder.Rescheduled', cause: expect.any(String) },
      ]);
      expect(workflow.successes).toEqual([]);
      expect(await stored()).not.toHaveProperty('taskToken');
    });

    it('when the work order is new, it refuses with 409', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'reschedule', reason: 'No reason' }));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect(extensionsOf(error)).toEqual({
        currentStatus: 'new',
        allowedActions: ['schedule', 'cancel', 'hold'],
      });
    });
  });

  describe('dispatch', () => {
    it('when a qualified technician is named, it assigns them and marks the work order dispatched', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled', { version: 2 }));

      // Act
      const result = await act(aDispatcher(), { action: 'dispatch', technicianId: 'tec_ana' });

      // Assert
      expect(result).toMatchObject({ status: 'dispatched', technicianId: 'tec_ana', version: 3 });
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.Dispatched',
        detail: {
          technicianId: 'tec_ana',
          scheduledStart: bookedVisit.scheduledStart,
          previousStatus: 'scheduled',
        },
      });
    });

    it('when no technician is named, it dispatches the one booked with the visit', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled', { technicianId: 'tec_ana' }));

      // Act
      const result = await act(aDispatcher(), { action: 'dispatch' });

      // Assert
      expect(result).toMatchObject({ status: 'dispatched', technicianId: 'tec_ana' });
    });

    it('when AwaitDispatch holds a token, it resumes it', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled', { version: 2, ...awaitDispatch }));

      // Act
      await act(aDispatcher(), { action: 'dispatch', technicianId: 'tec_ana' });

      // Assert
      expect(workflow.successes).toEqual([
        { taskToken: 'token-AwaitDispatch', output: { status: 'dispatched', version: 3 } },
      ]);
    });

    it('when no technician is named or booked, it refuses with 422 missing technician', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'dispatch' }));

      // Assert
      expect(error).toBeInstanceOf(UnprocessableError);
      expect(extensionsOf(error)).toEqual({ missing: ['technician'] });
    });

    it('when the technician lacks a required skill, it refuses with 422 naming the skill and changes nothing', async () => {
      // Arrange
      const workOrder = aWorkOrderAt('scheduled', { requiredSkills: ['hvac', 'refrigerant'] });
      workOrders.put(workOrder);

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'dispatch', technicianId: 'tec_ana' }));

      // Assert
      expect(extensionsOf(error)).toEqual({ missing: ['technician skill: refrigerant'] });
      expect(await stored()).toEqual(workOrder);
    });

    it('when the work order was not enriched, it takes the required skills from the service type', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled', { requiredSkills: undefined }));

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'dispatch', technicianId: 'tec_bo' }));

      // Assert
      expect(extensionsOf(error)).toEqual({ missing: ['technician skill: hvac'] });
    });

    it('when the work order has no visit booked, it refuses with 422 missing schedule', async () => {
      // Arrange
      workOrders.put(
        aWorkOrderAt('scheduled', {
          scheduledStart: undefined,
          scheduledEnd: undefined,
          scheduledDate: undefined,
        }),
      );

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'dispatch', technicianId: 'tec_ana' }));

      // Assert
      expect(extensionsOf(error)).toEqual({ missing: ['schedule'] });
    });

    it('when the named technician does not exist, it refuses with 400 naming body.technicianId', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'dispatch', technicianId: 'tec_gone' }));

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect(fieldsOf(error)).toEqual(['body.technicianId']);
    });

    it('when the work order is new, it refuses with 409 listing what may be done now', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'dispatch', technicianId: 'tec_ana' }));

      // Assert
      expect(extensionsOf(error)).toEqual({
        currentStatus: 'new',
        allowedActions: ['schedule', 'cancel', 'hold'],
      });
    });
  });

  describe('field progress by the assigned technician', () => {
    it('when they start travelling with an eta, the work order is en route with that eta', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched', awaitFieldWork));

      // Act
      const result = await act(aTechnicianUser(), { action: 'startTravel', eta: '2025-03-14T13:20:00.000Z' });

      // Assert
      expect(result).toMatchObject({ status: 'en_route', eta: '2025-03-14T13:20:00.000Z' });
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.EnRoute',
        detail: { technicianId: 'tec_ana', eta: '2025-03-14T13:20:00.000Z', actorRole: 'technician' },
      });
    });

    it('when the work order moves through the visit, the waiting AwaitFieldWork keeps its token and hears nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched', awaitFieldWork));

      // Act
      await act(aTechnicianUser(), { action: 'startTravel' });
      await act(aTechnicianUser(), { action: 'arrive' });
      await act(aTechnicianUser(), { action: 'startWork' });

      // Assert
      expect(await stored()).toMatchObject({ status: 'in_progress', taskToken: 'token-AwaitFieldWork' });
      expect(workflow.successes).toEqual([]);
      expect(workflow.failures).toEqual([]);
      expect(events.published.map((event) => event.type)).toEqual([
        'WorkOrder.EnRoute',
        'WorkOrder.Arrived',
        'WorkOrder.Started',
      ]);
    });

    it('when they arrive, the eta and any delay are cleared', async () => {
      // Arrange
      workOrders.put(
        aWorkOrderAt('en_route', { delay: { reason: 'Traffic', at: '2025-03-14T12:55:00.000Z' } }),
      );

      // Act
      const result = await act(aTechnicianUser(), { action: 'arrive' });

      // Assert
      expect(result.status).toBe('arrived');
      expect(result).not.toHaveProperty('eta');
      expect(result).not.toHaveProperty('delay');
    });

    it('when they arrive, the time of arrival is recorded', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route'));

      // Act
      const result = await act(aTechnicianUser(), { action: 'arrive' });

      // Assert
      expect(result.arrivedAt).toBe(now);
      expect((await stored())?.arrivedAt).toBe(now);
    });

    it('when they report a delay with a new eta, the status stays and the delay and eta are recorded', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route', awaitFieldWork));

      // Act
      const result = await act(aTechnicianUser(), {
        action: 'reportDelay',
        reason: 'Accident on I-93',
        newEta: '2025-03-14T13:45:00.000Z',
      });

      // Assert
      expect(result).toMatchObject({
        status: 'en_route',
        eta: '2025-03-14T13:45:00.000Z',
        delay: { reason: 'Accident on I-93', newEta: '2025-03-14T13:45:00.000Z', at: now },
        taskToken: 'token-AwaitFieldWork',
      });
      expect(workflow.successes).toEqual([]);
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.Delayed',
        detail: { status: 'en_route', previousStatus: 'en_route', reason: 'Accident on I-93' },
      });
    });

    it('when a technician tries an action of the wrong stage, it refuses with 409 listing only their actions', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('dispatched'));

      // Act
      const error = await rejectionOf(act(aTechnicianUser(), { action: 'arrive' }));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect(extensionsOf(error)).toEqual({ currentStatus: 'dispatched', allowedActions: ['startTravel'] });
    });

    it('when the technician is not the one assigned, it answers 404 as if the work order did not exist', async () => {
      // Arrange
      const workOrder = aWorkOrderAt('dispatched', { technicianId: 'tec_bo' });
      workOrders.put(workOrder);

      // Act
      const error = await rejectionOf(act(aTechnicianUser(), { action: 'startTravel' }));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
      expect(await stored()).toEqual(workOrder);
    });

    it('when the technician tries an office action on their own work order, it refuses with 403', async () => {
      // Arrange
      const workOrder = aWorkOrderAt('dispatched');
      workOrders.put(workOrder);

      // Act
      const error = await rejectionOf(act(aTechnicianUser(), { action: 'cancel', reason: 'Too far' }));

      // Assert
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(await stored()).toEqual(workOrder);
    });
  });

  describe('pause and resumeWork', () => {
    it('when the assigned technician pauses work in progress, it is paused with the reason and time, and the waiting workflow hears nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', awaitFieldWork));

      // Act
      const result = await act(aTechnicianUser(), { action: 'pause', reason: 'Waiting for parts' });

      // Assert
      expect(result).toMatchObject({
        status: 'paused',
        pause: { reason: 'Waiting for parts', at: now, from: 'in_progress' },
        taskToken: 'token-AwaitFieldWork',
      });
      expect(workflow.successes).toEqual([]);
      expect(workflow.failures).toEqual([]);
      expect(trail().at(-1)).toMatchObject({
        action: 'pause',
        actorId: 'user-technician-ana',
        actorRole: 'technician',
        at: now,
        changes: {
          status: { before: 'in_progress', after: 'paused' },
          pause: { after: { reason: 'Waiting for parts', at: now, from: 'in_progress' } },
          details: { after: { reason: 'Waiting for parts' } },
        },
      });
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.Paused',
        detail: {
          status: 'paused',
          previousStatus: 'in_progress',
          reason: 'Waiting for parts',
          technicianId: 'tec_ana',
        },
      });
    });

    it('when work resumes, it is back in progress, the pause is cleared and its minutes are added up', async () => {
      // Arrange
      workOrders.put(
        aWorkOrderAt('paused', {
          ...awaitFieldWork,
          pause: { reason: 'Lunch', at: '2025-03-12T15:00:00.000Z', from: 'in_progress' },
          pausedMinutes: 10,
        }),
      );

      // Act
      const result = await act(aTechnicianUser(), { action: 'resumeWork' });

      // Assert
      expect(result).toMatchObject({
        status: 'in_progress',
        pausedMinutes: 40,
        taskToken: 'token-AwaitFieldWork',
      });
      expect(result).not.toHaveProperty('pause');
      expect(workflow.successes).toEqual([]);
      expect(trail().at(-1)).toMatchObject({
        action: 'resumeWork',
        changes: {
          status: { before: 'paused', after: 'in_progress' },
          details: { after: { pauseReason: 'Lunch', pausedMinutes: 30 } },
        },
      });
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.WorkResumed',
        detail: { status: 'in_progress', previousStatus: 'paused', pauseReason: 'Lunch', pausedMinutes: 30 },
      });
    });

    it('when work was paused on arrival (customer away), resuming goes back to arrived', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('arrived'));
      await act(aTechnicianUser(), { action: 'pause', reason: 'Customer away' });

      // Act
      const result = await act(aTechnicianUser(), { action: 'resumeWork' });

      // Assert
      expect(result.status).toBe('arrived');
    });

    it('when the office pauses and resumes the work, it may', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const paused = await act(aDispatcher(), {
        action: 'pause',
        reason: 'Customer asked to stop for today',
      });
      const resumed = await act(aDispatcher(), { action: 'resumeWork' });

      // Assert
      expect([paused.status, resumed.status]).toEqual(['paused', 'in_progress']);
    });

    it('when a technician not assigned tries to pause or resume, it answers 404 and changes nothing', async () => {
      // Arrange
      const workOrder = aWorkOrderAt('in_progress', { technicianId: 'tec_bo' });
      workOrders.put(workOrder);

      // Act
      const errors = [
        await rejectionOf(act(aTechnicianUser(), { action: 'pause', reason: 'Lunch' })),
        await rejectionOf(act(aTechnicianUser(), { action: 'resumeWork' })),
      ];

      // Assert
      expect(errors.every((error) => error instanceof NotFoundError)).toBe(true);
      expect(await stored()).toEqual(workOrder);
    });

    it('when the work order is paused, it cannot be completed before work resumes (409 listing resumeWork)', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('paused'));

      // Act
      const error = await rejectionOf(
        act(aTechnicianUser(), { action: 'complete', noSignatureReason: 'Customer away' }),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect(extensionsOf(error)).toEqual({ currentStatus: 'paused', allowedActions: ['resumeWork'] });
    });

    it.each(['dispatched', 'en_route', 'paused', 'completed'] as const)(
      'when the work order is %s, pausing is refused with 409',
      async (status) => {
        // Arrange
        workOrders.put(aWorkOrderAt(status));

        // Act
        const error = await rejectionOf(act(aTechnicianUser(), { action: 'pause', reason: 'Lunch' }));

        // Assert
        expect(error).toBeInstanceOf(ConflictError);
        expect(extensionsOf(error)).toMatchObject({ currentStatus: status });
      },
    );
  });

  describe('complete', () => {
    it('when notes, labor and a signature are there, it completes the work order signed now', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { version: 7 }));

      // Act
      const result = await act(aTechnicianUser(), {
        action: 'complete',
        signature: await signedBy('Dana Whitfield'),
      });

      // Assert
      expect(result).toMatchObject({
        status: 'completed',
        completedAt: now,
        signature: { signerName: 'Dana Whitfield', signedAt: now, summaryHash: await currentHash() },
        version: 8,
      });
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.Completed',
        detail: { signed: true, laborMinutes: 95, followUpRequested: false },
      });
    });

    it('when the customer signs with the pen, the audit trail keeps the stroke count, not the strokes', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { version: 7 }));
      const strokes: [number, number][][] = [
        [
          [1, 2],
          [3, 4],
        ],
        [[5, 6]],
      ];

      // Act
      const result = await act(aTechnicianUser(), {
        action: 'complete',
        signature: { ...(await signedBy('Dana Whitfield')), strokes },
      });

      // Assert
      expect(result.signature?.strokes).toEqual(strokes);
      const recorded = trail().find((event) => event.action === 'complete')?.changes.signature?.after;
      expect(recorded).toMatchObject({ signerName: 'Dana Whitfield', strokeCount: 2 });
      expect(recorded).not.toHaveProperty('strokes');
    });

    it('when AwaitFieldWork holds a token, it resumes it', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { version: 7, ...awaitFieldWork }));

      // Act
      await act(aTechnicianUser(), { action: 'complete', signature: await signedBy('Dana Whitfield') });

      // Assert
      expect(workflow.successes).toEqual([
        { taskToken: 'token-AwaitFieldWork', output: { status: 'completed', version: 8 } },
      ]);
    });

    it('when the customer could not sign, it completes with the reason recorded instead', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const result = await act(aTechnicianUser(), {
        action: 'complete',
        noSignatureReason: 'Customer not home',
      });

      // Assert
      expect(result).toMatchObject({ status: 'completed', noSignatureReason: 'Customer not home' });
      expect(result).not.toHaveProperty('signature');
    });

    it('when a follow-up is asked for, it allocates the follow-up work order id now', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const result = await act(aTechnicianUser(), {
        action: 'complete',
        signature: await signedBy('Dana Whitfield'),
        followUp: { description: 'Replace the ageing condenser', priority: 'routine' },
      });

      // Assert
      expect(result.followUpRequest).toEqual({
        description: 'Replace the ageing condenser',
        priority: 'routine',
        workOrderId: expect.stringMatching(/^wo_/),
      });
      expect(events.published[0]?.detail).toMatchObject({ followUpRequested: true });
    });

    it.each<
      [string, Partial<WorkOrder>, Omit<Extract<ActionInput, { action: 'complete' }>, 'action'>, string[]]
    >([
      [
        'no work note',
        { noteCount: undefined },
        { signature: { signerName: 'Dana', summaryHash: anyHash } },
        ['workNote'],
      ],
      [
        'no labor',
        { laborMinutes: undefined },
        { signature: { signerName: 'Dana', summaryHash: anyHash } },
        ['labor'],
      ],
      [
        'zero notes and minutes',
        { noteCount: 0, laborMinutes: 0 },
        { noSignatureReason: 'Away' },
        ['workNote', 'labor'],
      ],
      ['no signature nor a reason', {}, {}, ['customerSignature']],
      [
        'nothing at all',
        { noteCount: undefined, laborMinutes: undefined },
        {},
        ['workNote', 'labor', 'customerSignature'],
      ],
    ])(
      'when there is %s, it refuses with 422 naming what is missing and changes nothing',
      async (_case, fields, body, missing) => {
        // Arrange
        const workOrder = aWorkOrderAt('in_progress', fields);
        workOrders.put(workOrder);

        // Act
        const error = await rejectionOf(act(aTechnicianUser(), { action: 'complete', ...body }));

        // Assert
        expect(error).toBeInstanceOf(UnprocessableError);
        expect(extensionsOf(error)).toEqual({ missing });
        expect(await stored()).toEqual(workOrder);
      },
    );

    it('when the arrival is known, it records the time on site as a duration of the service type, in the same write', async () => {
      // Arrange: arrived 1 h 50 min before now
      workOrders.put(aWorkOrderAt('in_progress', { arrivedAt: '2025-03-12T13:40:00.000Z' }));

      // Act
      await act(aTechnicianUser(), { action: 'complete', signature: await signedBy('Dana Whitfield') });

      // Assert
      expect(await workOrders.jobDurations.recent('ten_acme', 'svc_ac_repair', 50)).toEqual([
        {
          tenantId: 'ten_acme',
          serviceTypeId: 'svc_ac_repair',
          workOrderId: 'wo_existing',
          completedAt: now,
          minutes: 110,
          technicianId: 'tec_ana',
        },
      ]);
    });

    it.each<[string, Partial<WorkOrder>]>([
      ['no arrival was recorded', {}],
      ['the arrival was tapped less than a minute before', { arrivedAt: '2025-03-12T15:29:35.000Z' }],
    ])('when %s, the labor minutes stand for the duration', async (_case, fields) => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', fields));

      // Act
      await act(aTechnicianUser(), { action: 'complete', signature: await signedBy('Dana Whitfield') });

      // Assert
      const recorded = await workOrders.jobDurations.recent('ten_acme', 'svc_ac_repair', 50);
      expect(recorded.map((job) => job.minutes)).toEqual([95]);
    });

    it('when the work order has no service type, no duration is recorded', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { serviceTypeId: undefined }));

      // Act
      const result = await act(aTechnicianUser(), {
        action: 'complete',
        signature: await signedBy('Dana Whitfield'),
      });

      // Assert
      expect(result.status).toBe('completed');
      expect(await workOrders.jobDurations.recent('ten_acme', 'svc_ac_repair', 50)).toEqual([]);
    });

    it('when the completion is refused, no duration is recorded', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { noteCount: 0 }));

      // Act
      await rejectionOf(
        act(aTechnicianUser(), {
          action: 'complete',
          signature: { signerName: 'Dana', summaryHash: anyHash },
        }),
      );

      // Assert
      expect(await workOrders.jobDurations.recent('ten_acme', 'svc_ac_repair', 50)).toEqual([]);
    });

    it('when work has not started, it refuses with 409', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('arrived'));

      // Act
      const error = await rejectionOf(
        act(aTechnicianUser(), { action: 'complete', signature: await signedBy('Dana Whitfield') }),
      );

      // Assert
      expect(extensionsOf(error)).toEqual({
        currentStatus: 'arrived',
        allowedActions: ['startWork', 'pause'],
      });
    });

    describe('signature', () => {
      const imageKey = signatureImageKey('ten_acme', 'wo_existing', 'sig_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3');

      it('when a note was added after the summary was shown, it refuses with 409 naming the summary hash and changes nothing', async () => {
        // Arrange
        const workOrder = aWorkOrderAt('in_progress');
        workOrders.put(workOrder);
        const shown = await signedBy('Dana Whitfield');
        workOrders.putNote(aNote({ noteId: 'not_late', text: 'Also tightened the contactor' }));

        // Act
        const error = await rejectionOf(act(aTechnicianUser(), { action: 'complete', signature: shown }));

        // Assert
        expect(error).toBeInstanceOf(ConflictError);
        expect(extensionsOf(error)).toEqual({
          errors: [{ field: 'body.signature.summaryHash', message: expect.any(String) }],
          currentSummaryHash: await currentHash(),
        });
        expect(await currentHash()).not.toBe(shown.summaryHash);
        expect(await stored()).toEqual(workOrder);
        expect(events.published).toEqual([]);
      });

      it('when signed with strokes, it records the signer, the time, the hash and the strokes', async () => {
        // Arrange
        workOrders.put(aWorkOrderAt('in_progress'));
        const strokes: [number, number][][] = [
          [
            [10, 40],
            [30, 12],
            [55, 44],
          ],
          [[70, 30]],
        ];

        // Act
        const result = await act(aTechnicianUser(), {
          action: 'complete',
          signature: { ...(await signedBy('Dana Whitfield')), strokes },
        });

        // Assert
        expect(result.signature).toEqual({
          signerName: 'Dana Whitfield',
          signedAt: now,
          summaryHash: await currentHash(),
          strokes,
        });
      });

      it('when signed with an uploaded PNG of this work order, it records the image key', async () => {
        // Arrange
        workOrders.put(aWorkOrderAt('in_progress'));
        blobs.seed(imageKey, pngBytes, 'image/png');

        // Act
        const result = await act(aTechnicianUser(), {
          action: 'complete',
          signature: { ...(await signedBy('Dana Whitfield')), imageKey },
        });

        // Assert
        expect(result.signature).toMatchObject({ imageKey, summaryHash: await currentHash() });
      });

      it.each<[string, string, (() => void) | undefined]>([
        [
          "another work order's key",
          signatureImageKey('ten_acme', 'wo_other', 'sig_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3'),
          undefined,
        ],
        ['a key nothing was uploaded to', imageKey, undefined],
        [
          'an upload that is not a PNG',
          imageKey,
          () => blobs.seed(imageKey, Uint8Array.of(0xff, 0xd8, 0xff), 'image/png'),
        ],
      ])(
        'when the image key is %s, it refuses with 400 naming the image key',
        async (_case, key, arrange) => {
          // Arrange
          const workOrder = aWorkOrderAt('in_progress');
          workOrders.put(workOrder);
          arrange?.();

          // Act
          const error = await rejectionOf(
            act(aTechnicianUser(), {
              action: 'complete',
              signature: { ...(await signedBy('Dana Whitfield')), imageKey: key },
            }),
          );

          // Assert
          expect(fieldsOf(error)).toEqual(['body.signature.imageKey']);
          expect(await stored()).toEqual(workOrder);
        },
      );
    });
  });

  describe('approveInvoice', () => {
    it('when the draft invoice is there, it approves it with the work order, both at their next version', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { version: 9, ...awaitApproval }));
      workOrders.putInvoice(anInvoice({ status: 'draft', version: 1 }));

      // Act
      const result = await act(aDispatcher(), { action: 'approveInvoice' });

      // Assert
      expect(result).toMatchObject({ status: 'invoiced', version: 10 });
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toMatchObject({
        status: 'approved',
        approvedBy: 'user-dispatcher-1',
        version: 2,
        updatedAt: now,
      });
      expect(workflow.successes).toEqual([
        { taskToken: 'token-AwaitApproval', output: { status: 'invoiced', version: 10 } },
      ]);
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.Invoiced',
        detail: { invoiceId: 'inv_existing', total: 31858, currency: 'USD' },
      });
    });

    it('when no invoice was generated yet, it refuses with 422 missing invoice', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { invoiceId: undefined }));

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'approveInvoice' }));

      // Assert
      expect(error).toBeInstanceOf(UnprocessableError);
      expect(extensionsOf(error)).toEqual({ missing: ['invoice'] });
    });

    it('when the linked invoice cannot be found, it refuses with 422 missing invoice', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'approveInvoice' }));

      // Assert
      expect(extensionsOf(error)).toEqual({ missing: ['invoice'] });
    });

    it.each(['approved', 'void'] as const)(
      'when the invoice is %s, not a draft, it refuses with 409 and changes nothing',
      async (status) => {
        // Arrange
        const workOrder = aWorkOrderAt('completed');
        workOrders.put(workOrder);
        workOrders.putInvoice(anInvoice({ status }));

        // Act
        const error = await rejectionOf(act(aDispatcher(), { action: 'approveInvoice' }));

        // Assert
        expect(error).toBeInstanceOf(ConflictError);
        expect(await stored()).toEqual(workOrder);
        expect((await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing'))?.status).toBe(status);
      },
    );
  });

  describe('recordPayment', () => {
    it('when part of the balance is paid, the invoice is partially paid and the work order stays invoiced', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced', { version: 10, ...awaitPayment }));
      workOrders.putInvoice(anInvoice({ status: 'sent', version: 3 }));

      // Act
      const result = await act(aDispatcher(), { action: 'recordPayment', amount: 10000, method: 'card' });

      // Assert
      expect(result).toMatchObject({ status: 'invoiced', version: 11, taskToken: 'token-AwaitPayment' });
      expect(result).not.toHaveProperty('paidAt');
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toMatchObject({
        status: 'partially_paid',
        amountPaid: 10000,
        version: 4,
      });
      expect(workflow.successes).toEqual([]);
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.PaymentRecorded',
        detail: { amount: 10000, balance: 21858, status: 'invoiced' },
      });
    });

    it('when a payment is recorded, it stores it and notes it in the audit trail', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'sent' }));

      // Act
      await act(aDispatcher(), {
        action: 'recordPayment',
        amount: 5000,
        method: 'check',
        reference: 'Check 1042',
      });

      // Assert
      const [payment] = workOrders.paymentsOf('ten_acme', 'wo_existing');
      expect(payment).toEqual({
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        paymentId: expect.stringMatching(/^pay_/),
        invoiceId: 'inv_existing',
        amount: 5000,
        method: 'check',
        reference: 'Check 1042',
        recordedBy: 'user-dispatcher-1',
        at: now,
      });
      expect(trail()[0]?.changes).toEqual({
        details: { after: { paymentId: payment?.paymentId, amount: 5000, method: 'check' } },
      });
    });

    it('when the balance is paid in full, the invoice and the work order are paid and AwaitPayment resumes', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced', { version: 11, ...awaitPayment }));
      workOrders.putInvoice(anInvoice({ status: 'partially_paid', amountPaid: 10000, version: 4 }));

      // Act
      const result = await act(aDispatcher(), { action: 'recordPayment', amount: 21858, method: 'card' });

      // Assert
      expect(result).toMatchObject({ status: 'paid', paidAt: now, version: 12 });
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toMatchObject({
        status: 'paid',
        amountPaid: 31858,
        version: 5,
      });
      expect(workflow.successes).toEqual([
        { taskToken: 'token-AwaitPayment', output: { status: 'paid', version: 12 } },
      ]);
      expect(events.published[0]?.detail).toMatchObject({
        balance: 0,
        status: 'paid',
        previousStatus: 'invoiced',
      });
    });

    it('when the payment is more than the balance, it refuses with 422 naming body.amount and records nothing', async () => {
      // Arrange
      const workOrder = aWorkOrderAt('invoiced');
      workOrders.put(workOrder);
      workOrders.putInvoice(anInvoice({ status: 'partially_paid', amountPaid: 30000 }));

      // Act
      const error = await rejectionOf(
        act(aDispatcher(), { action: 'recordPayment', amount: 1859, method: 'cash' }),
      );

      // Assert
      expect(error).toBeInstanceOf(UnprocessableError);
      expect(extensionsOf(error)).toEqual({
        errors: [{ field: 'body.amount', message: expect.stringContaining('1858') }],
      });
      expect(await stored()).toEqual(workOrder);
      expect(workOrders.paymentsOf('ten_acme', 'wo_existing')).toEqual([]);
      expect((await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing'))?.amountPaid).toBe(
        30000,
      );
    });

    it('when the invoice is sent meanwhile, it retries on the new invoice version and loses neither change', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(anInvoice({ status: 'approved', version: 2 }));
      workOrders.beforeNextApply(() => {
        workOrders.putInvoice(anInvoice({ status: 'sent', sentAt: now, version: 3 }));
      });

      // Act
      await act(aDispatcher(), { action: 'recordPayment', amount: 5000, method: 'card' });

      // Assert
      expect(workOrders.applyAttempts).toBe(2);
      expect(await workOrders.getInvoice('ten_acme', 'wo_existing', 'inv_existing')).toMatchObject({
        status: 'partially_paid',
        sentAt: now,
        amountPaid: 5000,
        version: 4,
      });
      expect(workOrders.paymentsOf('ten_acme', 'wo_existing')).toHaveLength(1);
    });
  });

  describe('cancel', () => {
    it.each<WorkOrderStatus>(['new', 'scheduled', 'dispatched', 'en_route', 'arrived', 'in_progress'])(
      'when the work order is %s, it cancels it with the reason',
      async (status) => {
        // Arrange
        workOrders.put(aWorkOrderAt(status));

        // Act
        const result = await act(aDispatcher(), { action: 'cancel', reason: 'Customer sold the house' });

        // Assert
        expect(result).toMatchObject({ status: 'cancelled', cancelReason: 'Customer sold the house' });
        expect(events.published[0]).toMatchObject({
          type: 'WorkOrder.Cancelled',
          detail: { reason: 'Customer sold the house', previousStatus: status },
        });
      },
    );

    it('when the work order is on hold, it cancels it and forgets the hold', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('on_hold'));

      // Act
      const result = await act(aDispatcher(), { action: 'cancel', reason: 'Customer went elsewhere' });

      // Assert
      expect(result.status).toBe('cancelled');
      expect(result).not.toHaveProperty('heldFrom');
      expect(result).not.toHaveProperty('holdReason');
    });

    it('when a waiting state holds a token, it fails it with WorkOrder.Cancelled and the reason', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled', awaitDispatch));

      // Act
      await act(aDispatcher(), { action: 'cancel', reason: 'Customer sold the house' });

      // Assert
      expect(workflow.failures).toEqual([
        { taskToken: 'token-AwaitDispatch', error: 'WorkOrder.Cancelled', cause: 'Customer sold the house' },
      ]);
      expect(workflow.successes).toEqual([]);
      expect(await stored()).not.toHaveProperty('taskToken');
    });

    it('when the work is completed, it refuses with 409', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'cancel', reason: 'Changed our mind' }));

      // Assert
      expect(extensionsOf(error)).toEqual({ currentStatus: 'completed', allowedActions: ['approveInvoice'] });
    });
  });

  describe('hold and resume', () => {
    it('when a scheduled work order is held, it remembers where it was and why', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled'));

      // Act
      const result = await act(aDispatcher(), { action: 'hold', reason: 'Waiting for the landlord' });

      // Assert
      expect(result).toMatchObject({
        status: 'on_hold',
        heldFrom: 'scheduled',
        holdReason: 'Waiting for the landlord',
      });
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.Held',
        detail: { reason: 'Waiting for the landlord' },
      });
    });

    it('when held while a waiting state waits through holds, it keeps the token and answers nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled', awaitDispatch));

      // Act
      const result = await act(aDispatcher(), { action: 'hold', reason: 'Waiting for the landlord' });

      // Assert
      expect(result).toMatchObject({
        taskToken: 'token-AwaitDispatch',
        waitingWhile: ['scheduled', 'on_hold'],
      });
      expect(workflow.successes).toEqual([]);
      expect(workflow.failures).toEqual([]);
    });

    it('when resumed, it goes back to the status it was held from, still waiting', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('on_hold', { heldFrom: 'scheduled', ...awaitDispatch }));

      // Act
      const result = await act(aDispatcher(), { action: 'resume' });

      // Assert
      expect(result).toMatchObject({ status: 'scheduled', taskToken: 'token-AwaitDispatch' });
      expect(result).not.toHaveProperty('heldFrom');
      expect(result).not.toHaveProperty('holdReason');
      expect(workflow.successes).toEqual([]);
      expect(events.published[0]).toMatchObject({
        type: 'WorkOrder.Resumed',
        detail: { status: 'scheduled', previousStatus: 'on_hold' },
      });
    });

    it('when resumed without a recorded status, it goes back to new', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('on_hold', { heldFrom: undefined }));

      // Act
      const result = await act(aDispatcher(), { action: 'resume' });

      // Assert
      expect(result.status).toBe('new');
    });

    it('when the visit is under way, it refuses to hold with 409', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route'));

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'hold', reason: 'Rain' }));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
    });
  });

  describe('visibility', () => {
    it("when the work order is another tenant's, it answers 404", async () => {
      // Arrange
      workOrders.put(aWorkOrder({ tenantId: 'ten_globex', status: 'new' }));

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'cancel', reason: 'Nope' }));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
      expect((await workOrders.get('ten_globex', 'wo_existing'))?.status).toBe('new');
    });
  });

  describe('concurrency', () => {
    it('when the expected version is stale, it refuses with 409 giving the current version and changes nothing', async () => {
      // Arrange
      const workOrder = aWorkOrder({ status: 'new', version: 4 });
      workOrders.put(workOrder);

      // Act
      const error = await rejectionOf(
        act(aDispatcher(), { action: 'hold', reason: 'Rain' }, { expectedVersion: 3 }),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect(extensionsOf(error)).toEqual({ version: 4 });
      expect(await stored()).toEqual(workOrder);
      expect(workOrders.applyAttempts).toBe(0);
    });

    it('when the expected version is current, it performs the action', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new', version: 4 }));

      // Act
      const result = await act(aDispatcher(), { action: 'hold', reason: 'Rain' }, { expectedVersion: 4 });

      // Assert
      expect(result).toMatchObject({ status: 'on_hold', version: 5 });
    });

    it('when a note is added meanwhile, the write fails once, the action retries and the note count survives', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('en_route', { noteCount: 1 }));
      workOrders.beforeNextApply(async () => {
        await workOrders.addNote(
          aNote({ noteId: 'not_concurrent' }),
          {
            tenantId: 'ten_acme',
            workOrderId: 'wo_existing',
            eventId: 'evt_concurrent',
            action: 'note_added',
            actorId: 'user-dispatcher-1',
            actorRole: 'dispatcher',
            at: now,
            changes: {},
          },
          ['en_route'],
        );
      });

      // Act
      const result = await act(aTechnicianUser(), { action: 'arrive' });

      // Assert
      expect(workOrders.applyAttempts).toBe(2);
      expect(result).toMatchObject({ status: 'arrived', noteCount: 2 });
      expect(await stored()).toEqual(result);
      expect(trail().map((event) => event.action)).toEqual(['note_added', 'arrive']);
      expect(events.published).toHaveLength(1);
    });

    it('when the waiting state stores its token meanwhile, the action retries and answers that token', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new', version: 1 }));
      workOrders.beforeNextApply(async () => {
        await workOrders.recordWait({
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          state: 'AwaitScheduling',
          taskToken: 'token-late',
          at: now,
          whileStatusIn: ['new', 'on_hold'],
        });
      });

      // Act
      await act(aDispatcher(), { action: 'schedule', start: '2025-03-14T13:00:00.000Z' });

      // Assert
      expect(workOrders.applyAttempts).toBe(2);
      expect(workflow.successes).toEqual([
        { taskToken: 'token-late', output: { status: 'scheduled', version: 2 } },
      ]);
      expect(await stored()).not.toHaveProperty('taskToken');
    });

    it('when another action moves the work order meanwhile, the retry refuses with 409 against the new status', async () => {
      // Arrange
      const original = aWorkOrderAt('scheduled', { version: 2 });
      workOrders.put(original);
      workOrders.beforeNextApply(() => {
        workOrders.put({ ...original, status: 'cancelled', cancelReason: 'Called to cancel', version: 3 });
      });

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'dispatch', technicianId: 'tec_ana' }));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect(extensionsOf(error)).toEqual({ currentStatus: 'cancelled', allowedActions: [] });
      expect((await stored())?.status).toBe('cancelled');
      expect(events.published).toEqual([]);
    });

    it('when the work order keeps changing, it gives up after five attempts with 409', async () => {
      // Arrange
      let version = 1;
      workOrders.put(aWorkOrder({ status: 'new', version }));
      for (let edit = 0; edit < 10; edit += 1) {
        workOrders.beforeNextApply(() => {
          version += 1;
          workOrders.put(aWorkOrder({ status: 'new', version }));
        });
      }

      // Act
      const error = await rejectionOf(act(aDispatcher(), { action: 'hold', reason: 'Rain' }));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect(workOrders.applyAttempts).toBe(5);
      expect((await stored())?.status).toBe('new');
    });
  });

  describe('answering the workflow and publishing', () => {
    it('when the token belongs to an execution that moved on, the action succeeds and nothing is reported', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new', ...awaitScheduling }));
      workflow.failAnswersWith(stepFunctionsError('TaskDoesNotExist'));

      // Act
      const result = await act(aDispatcher(), { action: 'schedule', start: '2025-03-14T13:00:00.000Z' });

      // Assert
      expect(result.status).toBe('scheduled');
      expect(failures).toEqual([]);
    });

    it.each(['TaskTimedOut', 'InvalidToken'])(
      'when answering fails with %s, nothing is reported',
      async (name) => {
        // Arrange
        workOrders.put(aWorkOrderAt('scheduled', awaitDispatch));
        workflow.failAnswersWith(stepFunctionsError(name));

        // Act
        await act(aDispatcher(), { action: 'cancel', reason: 'Duplicate' });

        // Assert
        expect(failures).toEqual([]);
      },
    );

    it('when answering fails otherwise, the change stays saved and the failure is reported', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new', ...awaitScheduling }));
      workflow.failAnswersWith(stepFunctionsError('ThrottlingException', 'Rate exceeded'));

      // Act
      const result = await act(aDispatcher(), { action: 'schedule', start: '2025-03-14T13:00:00.000Z' });

      // Assert
      expect(await stored()).toEqual(result);
      expect(result.status).toBe('scheduled');
      expect(failures).toEqual([expect.stringContaining('schedule')]);
      expect(events.published).toHaveLength(1);
    });

    it('when the event cannot be published, the change stays saved and the failure is reported', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));
      dependencies.events = {
        publish: async () => {
          throw new Error('EventBridge is throttling');
        },
      };

      // Act
      const result = await act(aDispatcher(), { action: 'hold', reason: 'Rain' });

      // Assert
      expect(await stored()).toEqual(result);
      expect(failures).toEqual([expect.stringContaining('hold')]);
    });
  });
});
