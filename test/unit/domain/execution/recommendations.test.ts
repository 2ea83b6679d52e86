import { beforeEach, describe, expect, it } from 'vitest';
import {
  addRecommendation,
  decideRecommendation,
  listRecommendations,
} from '../../../../lambdas/domain/execution/recommendations.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../../lambdas/shared/errors.ts';
import {
  aDispatcher,
  aPhoto,
  aTechnicianUser,
  aTenant,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryFieldWorkStore } from '../../fakes/in-memory-field-work-store.ts';
import { InMemoryPhotoStore } from '../../fakes/in-memory-photo-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-14T14:10:00.000Z';

const condenser = {
  description: 'Condenser coil is corroded; replace within the season',
  urgency: 'high' as const,
  estimatedPrice: 185_000,
};

describe('recommendations', () => {
  let workOrders: InMemoryWorkOrderStore;
  let recommendations: InMemoryFieldWorkStore;
  let photos: InMemoryPhotoStore;
  let events: RecordingEventPublisher;
  let dependencies: Parameters<typeof addRecommendation>[0];

  const trail = () => workOrders.eventsOf('ten_acme', 'wo_existing');

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    recommendations = new InMemoryFieldWorkStore(workOrders);
    photos = new InMemoryPhotoStore();
    events = new RecordingEventPublisher();
    dependencies = {
      workOrders,
      recommendations,
      photos,
      directory: new InMemoryDirectory().addTenant(aTenant()),
      events,
      clock: new SettableClock(now),
      ids: new SequentialIds(),
      reportFailure: () => {},
    };
  });

  describe('addRecommendation', () => {
    it('when the assigned technician recommends work, it is open, priced in the tenant currency, carries what a follow-up needs, and is audited and published', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { equipmentId: 'eqp_condenser' }));
      photos.put(aPhoto({ photoId: 'pho_coil' }));

      // Act
      const recommendation = await addRecommendation(dependencies, aTechnicianUser(), 'wo_existing', {
        ...condenser,
        photoIds: ['pho_coil'],
      });

      // Assert
      expect(recommendation).toEqual({
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        recommendationId: expect.stringMatching(/^rec_/),
        customerId: 'cus_existing',
        locationId: 'loc_home',
        equipmentId: 'eqp_condenser',
        serviceTypeId: 'svc_ac_repair',
        ...condenser,
        currency: 'USD',
        photoIds: ['pho_coil'],
        status: 'open',
        recordedBy: 'user-technician-ana',
        recorderRole: 'technician',
        technicianId: 'tec_ana',
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      expect(await recommendations.recommendations('ten_acme', 'wo_existing')).toEqual([recommendation]);
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'recommendation_added',
          actorRole: 'technician',
          at: now,
          changes: {
            details: {
              after: {
                recommendationId: recommendation.recommendationId,
                description: condenser.description,
                urgency: 'high',
                estimatedPrice: 185_000,
                currency: 'USD',
              },
            },
          },
        }),
      ]);
      expect(events.published).toEqual([
        expect.objectContaining({
          type: 'WorkOrder.RecommendationAdded',
          detail: expect.objectContaining({
            recommendationId: recommendation.recommendationId,
            status: 'open',
          }),
        }),
      ]);
    });

    it('when a photo named is not one of the work order, it refuses naming the photo and records nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      photos.put(aPhoto({ photoId: 'pho_elsewhere', workOrderId: 'wo_other' }));

      // Act
      const error = await rejectionOf(
        addRecommendation(dependencies, aTechnicianUser(), 'wo_existing', {
          ...condenser,
          photoIds: ['pho_elsewhere'],
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual(['body.photoIds.0']);
      expect(await recommendations.recommendations('ten_acme', 'wo_existing')).toEqual([]);
    });

    it('when the technician is not the one assigned, it answers 404', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { technicianId: 'tec_bo' }));

      // Act
      const error = await rejectionOf(
        addRecommendation(dependencies, aTechnicianUser(), 'wo_existing', condenser),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });

    it('when the work order is cancelled, it refuses with 409', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('cancelled', { technicianId: 'tec_ana' }));

      // Act
      const error = await rejectionOf(
        addRecommendation(dependencies, aDispatcher(), 'wo_existing', condenser),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toEqual({ currentStatus: 'cancelled' });
    });
  });

  describe('decideRecommendation', () => {
    it('when the office accepts an open recommendation, it is accepted with who, when and why, audited and published', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));
      const open = await addRecommendation(dependencies, aDispatcher(), 'wo_existing', condenser);
      events.published.length = 0;

      // Act
      const decided = await decideRecommendation(
        dependencies,
        aDispatcher(),
        'wo_existing',
        open.recommendationId,
        {
          decision: 'accepted',
          note: 'Customer wants it done next week',
        },
      );

      // Assert
      expect(decided).toMatchObject({
        status: 'accepted',
        decidedBy: 'user-dispatcher-1',
        decidedAt: now,
        decisionNote: 'Customer wants it done next week',
        version: 2,
      });
      expect(trail().at(-1)).toMatchObject({
        action: 'recommendation_accepted',
        changes: {
          recommendationStatus: { before: 'open', after: 'accepted' },
          details: {
            after: { recommendationId: open.recommendationId, note: 'Customer wants it done next week' },
          },
        },
      });
      expect(events.published).toEqual([
        expect.objectContaining({
          type: 'WorkOrder.RecommendationDecided',
          detail: expect.objectContaining({
            status: 'accepted',
            customerId: 'cus_existing',
            locationId: 'loc_home',
            estimatedPrice: 185_000,
          }),
        }),
      ]);
    });

    it('when the recommendation was already decided, deciding again refuses with 409 naming its status', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));
      const open = await addRecommendation(dependencies, aDispatcher(), 'wo_existing', condenser);
      await decideRecommendation(dependencies, aDispatcher(), 'wo_existing', open.recommendationId, {
        decision: 'declined',
      });

      // Act
      const error = await rejectionOf(
        decideRecommendation(dependencies, aDispatcher(), 'wo_existing', open.recommendationId, {
          decision: 'accepted',
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toEqual({ currentStatus: 'declined' });
    });

    it('when a technician tries to decide, it refuses with 403', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));
      const open = await addRecommendation(dependencies, aTechnicianUser(), 'wo_existing', condenser);

      // Act
      const error = await rejectionOf(
        decideRecommendation(dependencies, aTechnicianUser(), 'wo_existing', open.recommendationId, {
          decision: 'accepted',
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(ForbiddenError);
    });

    it('when the recommendation does not exist, it answers 404', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));

      // Act
      const error = await rejectionOf(
        decideRecommendation(dependencies, aDispatcher(), 'wo_existing', 'rec_missing', {
          decision: 'accepted',
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });
  });

  it('when listed, the recommendations come oldest first with their status', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress'));
    const first = await addRecommendation(dependencies, aTechnicianUser(), 'wo_existing', condenser);
    const second = await addRecommendation(dependencies, aTechnicianUser(), 'wo_existing', {
      description: 'Loose wire at the disconnect',
      urgency: 'safety',
      estimatedPrice: 9_500,
    });

    // Act
    const listed = await listRecommendations(dependencies, aTechnicianUser(), 'wo_existing');

    // Assert
    expect(listed.map((item) => [item.recommendationId, item.urgency])).toEqual([
      [first.recommendationId, 'high'],
      [second.recommendationId, 'safety'],
    ]);
  });
});
