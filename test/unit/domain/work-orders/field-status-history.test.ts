import { beforeEach, describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import { fieldStatusHistory } from '../../../../lambdas/domain/work-orders/field-status-history.ts';
import { performAction } from '../../../../lambdas/domain/work-orders/perform-action.ts';
import { NotFoundError } from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, aTechnicianUser, aTenant, aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryBlobStore } from '../../fakes/in-memory-blob-store.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryPhotoStore } from '../../fakes/in-memory-photo-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

describe('fieldStatusHistory', () => {
  let workOrders: InMemoryWorkOrderStore;
  let clock: SettableClock;
  let dependencies: Parameters<typeof performAction>[0];

  beforeEach(() => {
    const directory = new InMemoryDirectory().addTenant(aTenant());
    workOrders = new InMemoryWorkOrderStore(directory);
    clock = new SettableClock('2025-03-14T12:30:00.000Z');
    dependencies = {
      workOrders,
      directory,
      workflow: new RecordingWorkflow(),
      events: new RecordingEventPublisher(),
      clock,
      ids: new SequentialIds(),
      reportFailure: () => {},
      travelTimes: (settings) => new StraightLineTravel(settings.averageSpeedKmh),
      photos: new InMemoryPhotoStore(),
      blobs: new InMemoryBlobStore(),
    };
  });

  it('when the technician travels, is delayed, arrives, works, pauses and resumes, each change is listed with who, when, the ETA and the reason', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('dispatched'));
    const technician = aTechnicianUser();
    const steps = [
      { action: 'startTravel', eta: '2025-03-14T13:00:00.000Z' },
      { action: 'reportDelay', reason: 'Accident on I-93', newEta: '2025-03-14T13:20:00.000Z' },
      { action: 'arrive' },
      { action: 'startWork' },
      { action: 'pause', reason: 'Waiting for parts' },
      { action: 'resumeWork' },
    ] as const;
    for (const step of steps) {
      clock.advance(10 * 60_000);
      await performAction(dependencies, technician, 'wo_existing', step);
    }

    // Act
    const history = await fieldStatusHistory(workOrders, aDispatcher(), 'wo_existing');

    // Assert
    expect(history).toEqual([
      {
        action: 'startTravel',
        status: 'en_route',
        previousStatus: 'dispatched',
        at: '2025-03-14T12:40:00.000Z',
        actorId: 'user-technician-ana',
        actorRole: 'technician',
        eta: '2025-03-14T13:00:00.000Z',
      },
      {
        action: 'reportDelay',
        status: 'en_route',
        at: '2025-03-14T12:50:00.000Z',
        actorId: 'user-technician-ana',
        actorRole: 'technician',
        eta: '2025-03-14T13:20:00.000Z',
        reason: 'Accident on I-93',
      },
      expect.objectContaining({ action: 'arrive', status: 'arrived', at: '2025-03-14T13:00:00.000Z' }),
      expect.objectContaining({ action: 'startWork', status: 'in_progress', previousStatus: 'arrived' }),
      expect.objectContaining({ action: 'pause', status: 'paused', reason: 'Waiting for parts' }),
      expect.objectContaining({
        action: 'resumeWork',
        status: 'in_progress',
        previousStatus: 'paused',
        at: '2025-03-14T13:30:00.000Z',
        pausedMinutes: 10,
      }),
    ]);
  });

  it('when the technician is not the one assigned, it answers 404', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress', { technicianId: 'tec_bo' }));

    // Act
    const error = await rejectionOf(fieldStatusHistory(workOrders, aTechnicianUser(), 'wo_existing'));

    // Assert
    expect(error).toBeInstanceOf(NotFoundError);
  });
});
