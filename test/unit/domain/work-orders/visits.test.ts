import { beforeEach, describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import { addNextVisit, jobVisits, waitsForVisit } from '../../../../lambdas/domain/work-orders/visits.ts';
import { runWorkflowStep } from '../../../../lambdas/domain/work-orders/workflow-steps.ts';
import { ConflictError, NotFoundError } from '../../../../lambdas/shared/errors.ts';
import {
  aCustomer,
  aDispatcher,
  aLocation,
  aServiceType,
  aTechnician,
  aTenant,
  aWorkOrder,
} from '../../../fixtures/unit-records.ts';
import { InMemoryAgreementCoverage } from '../../fakes/in-memory-agreement-coverage.ts';
import { InMemoryBlobStore } from '../../fakes/in-memory-blob-store.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryLocationHistory } from '../../fakes/in-memory-location-history.ts';
import { InMemoryNotificationLog } from '../../fakes/in-memory-notification-log.ts';
import { InMemoryPhotoStore } from '../../fakes/in-memory-photo-store.ts';
import { InMemoryPricingSources } from '../../fakes/in-memory-pricing-sources.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { RecordingNotifier } from '../../fakes/recording-notifier.ts';
import { RecordingPayments } from '../../fakes/recording-payments.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

describe('multi-visit jobs', () => {
  let workOrders: InMemoryWorkOrderStore;
  let workflow: RecordingWorkflow;
  let dependencies: Parameters<typeof runWorkflowStep>[0] & Parameters<typeof addNextVisit>[0];

  beforeEach(() => {
    const directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(aLocation())
      .addServiceType('ten_acme', aServiceType())
      .addTechnician('ten_acme', aTechnician());
    workOrders = new InMemoryWorkOrderStore(directory);
    workflow = new RecordingWorkflow();
    dependencies = {
      workOrders,
      directory,
      locationHistory: new InMemoryLocationHistory(workOrders),
      photos: new InMemoryPhotoStore(),
      workflow,
      events: new RecordingEventPublisher(),
      notifier: new RecordingNotifier(),
      clock: new SettableClock('2025-03-14T15:05:00.000Z'),
      ids: new SequentialIds(),
      reportFailure: () => {},
      jobDurations: workOrders.jobDurations,
      travelTimes: (settings) => new StraightLineTravel(settings.averageSpeedKmh),
      blobs: new InMemoryBlobStore(),
      payments: new RecordingPayments(),
      pricing: new InMemoryPricingSources(directory),
      agreements: new InMemoryAgreementCoverage(),
      scheduler: new RecordingScheduler(),
      notifications: new InMemoryNotificationLog(workOrders),
    };
  });

  it('when a next visit is added to a visit not yet done, it waits on hold, linked both ways, its execution started', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'scheduled' }));

    // Act
    const next = await addNextVisit(dependencies, aDispatcher(), 'wo_existing', {
      description: 'Second visit',
    });

    // Assert
    expect(next).toMatchObject({
      status: 'on_hold',
      heldFrom: 'new',
      jobId: 'wo_existing',
      visitNumber: 2,
      previousVisitId: 'wo_existing',
      description: 'Second visit',
      customerId: 'cus_existing',
      locationId: 'loc_home',
      serviceTypeId: 'svc_ac_repair',
    });
    expect(waitsForVisit(next)).toBe(true);
    expect(await workOrders.get('ten_acme', 'wo_existing')).toMatchObject({
      jobId: 'wo_existing',
      visitNumber: 1,
      nextVisitId: next.workOrderId,
    });
    expect([...workflow.executions.keys()]).toEqual([next.workOrderId]);
  });

  it('when the visit already has a next one, or is cancelled, or is another tenant’s, nothing is added', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'new', nextVisitId: 'wo_next' }));
    workOrders.put(aWorkOrder({ workOrderId: 'wo_off', status: 'cancelled' }));

    // Act
    const twice = await rejectionOf(addNextVisit(dependencies, aDispatcher(), 'wo_existing', {}));
    const cancelled = await rejectionOf(addNextVisit(dependencies, aDispatcher(), 'wo_off', {}));
    const foreign = await rejectionOf(
      addNextVisit(dependencies, { ...aDispatcher(), tenantId: 'ten_other' }, 'wo_existing', {}),
    );

    // Assert
    expect(twice).toBeInstanceOf(ConflictError);
    expect(cancelled).toBeInstanceOf(ConflictError);
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(workflow.executions.size).toBe(0);
  });

  it('when the visit completes, the step resumes the held next visit once; run again, it does nothing', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'in_progress' }));
    const next = await addNextVisit(dependencies, aDispatcher(), 'wo_existing', {});
    const done = await workOrders.get('ten_acme', 'wo_existing');
    if (!done) throw new Error('stored above');
    workOrders.put({ ...done, status: 'completed', version: done.version + 1 });

    // Act
    const first = await runWorkflowStep(dependencies, 'ActivateNextVisit', 'ten_acme', 'wo_existing');
    const again = await runWorkflowStep(dependencies, 'ActivateNextVisit', 'ten_acme', 'wo_existing');

    // Assert
    expect(first).toEqual({ activated: true, nextVisitId: next.workOrderId });
    expect(again).toEqual({ activated: false, nextVisitId: next.workOrderId });
    const resumed = await workOrders.get('ten_acme', next.workOrderId);
    expect(resumed?.status).toBe('new');
    expect(resumed?.holdReason).toBeUndefined();
  });

  it('when the office put the next visit on hold for its own reason, completing the visit before leaves it held', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'completed', nextVisitId: 'wo_later' }));
    workOrders.put(
      aWorkOrder({
        workOrderId: 'wo_later',
        status: 'on_hold',
        heldFrom: 'new',
        holdReason: 'customer travelling until April',
        previousVisitId: 'wo_existing',
        jobId: 'wo_existing',
        visitNumber: 2,
      }),
    );

    // Act
    const result = await runWorkflowStep(dependencies, 'ActivateNextVisit', 'ten_acme', 'wo_existing');

    // Assert
    expect(result).toEqual({ activated: false, nextVisitId: 'wo_later' });
    expect((await workOrders.get('ten_acme', 'wo_later'))?.status).toBe('on_hold');
  });

  it('when asked from any visit, the job lists every visit in order', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'new' }));
    const second = await addNextVisit(dependencies, aDispatcher(), 'wo_existing', {});
    const third = await addNextVisit(dependencies, aDispatcher(), second.workOrderId, {});

    // Act
    const fromLast = await jobVisits(workOrders, aDispatcher(), third.workOrderId);

    // Assert
    expect(fromLast.map((visit) => [visit.workOrderId, visit.visitNumber])).toEqual([
      ['wo_existing', 1],
      [second.workOrderId, 2],
      [third.workOrderId, 3],
    ]);
  });
});
