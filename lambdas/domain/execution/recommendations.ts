import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { RecommendationStore } from '../../ports/field-work-store.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { PhotoStore } from '../../ports/photo-store.ts';
import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import { workOrderRecommendationAdded } from '../../schemas/events/work-order-recommendation-added.ts';
import { workOrderRecommendationDecided } from '../../schemas/events/work-order-recommendation-decided.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { isOffice, notesAllowedIn } from '../work-orders/lifecycle.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import { detailsOf, fieldEvent } from './field-event.ts';

export type RecommendationUrgency = 'low' | 'medium' | 'high' | 'safety';
export type RecommendationStatus = 'open' | 'accepted' | 'declined';

/**
 * Extra work the technician recommends ("replace the 15-year-old condenser"). It names the
 * customer, location, equipment and service type of its work order, so that a later step can
 * turn an accepted one into a follow-up work order, or any into a reminder, from it alone.
 */
export interface Recommendation {
  tenantId: string;
  workOrderId: string;
  recommendationId: string;
  customerId: string;
  locationId?: string;
  equipmentId?: string;
  serviceTypeId?: string;
  description: string;
  urgency: RecommendationUrgency;
  /** Minor units of `currency`, the tenant's. */
  estimatedPrice: number;
  currency: string;
  /** Photos of the work order that show what is recommended. */
  photoIds?: string[];
  status: RecommendationStatus;
  recordedBy: string;
  recorderRole: string;
  technicianId?: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionNote?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewRecommendation {
  description: string;
  urgency: RecommendationUrgency;
  estimatedPrice: number;
  photoIds?: string[];
}

export interface RecommendationDependencies {
  workOrders: WorkOrderStore;
  recommendations: RecommendationStore;
  photos: Pick<PhotoStore, 'get'>;
  directory: Pick<DirectoryStore, 'getTenant'>;
  events: EventPublisher;
  clock: Clock;
  ids: IdGenerator;
  reportFailure: (message: string, error: unknown) => void;
}

const refusedIn = (workOrder: WorkOrder) =>
  new ConflictError(`Recommendations cannot be added to a ${workOrder.status} work order`, {
    currentStatus: workOrder.status,
  });

/** The automation's view of a recommendation: everything but the tenant. */
const eventDetailOf = ({ tenantId: _tenant, ...recommendation }: Recommendation) => recommendation;

async function publish(
  dependencies: Pick<RecommendationDependencies, 'events' | 'reportFailure'>,
  event: Parameters<RecommendationDependencies['events']['publish']>[0][number],
) {
  try {
    await dependencies.events.publish([event]);
  } catch (error) {
    dependencies.reportFailure(`The ${event.type} event was not published`, error);
  }
}

/**
 * Records a recommendation of extra work on a work order.
 * 1. The work order must be visible to the actor (office, or the assigned technician).
 * 2. The photos named must be photos of this work order.
 * 3. The recommendation is written `open`, in the tenant's currency, with its audit event,
 *    while the work order takes notes (not once cancelled); `WorkOrder.RecommendationAdded` follows.
 */
export async function addRecommendation(
  dependencies: RecommendationDependencies,
  actor: Actor,
  workOrderId: string,
  input: NewRecommendation,
): Promise<Recommendation> {
  const { workOrders, recommendations, photos, directory, clock, ids } = dependencies;
  const workOrder = await getWorkOrder(workOrders, actor, workOrderId);
  if (!notesAllowedIn.includes(workOrder.status)) throw refusedIn(workOrder);
  const photoIds = [...new Set(input.photoIds ?? [])];
  const [tenant, found] = await Promise.all([
    directory.getTenant(actor.tenantId),
    Promise.all(photoIds.map((photoId) => photos.get(actor.tenantId, workOrderId, photoId))),
  ]);
  const problems = photoIds.flatMap((photoId, index) =>
    found[index]
      ? []
      : [{ field: `body.photoIds.${index}`, message: `no photo ${photoId} on this work order` }],
  );
  if (problems.length > 0) throw new ValidationError(problems);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  const at = clock.now().toISOString();
  const recommendation: Recommendation = {
    tenantId: workOrder.tenantId,
    workOrderId,
    recommendationId: ids.next('rec'),
    customerId: workOrder.customerId,
    ...(workOrder.locationId ? { locationId: workOrder.locationId } : {}),
    ...(workOrder.equipmentId ? { equipmentId: workOrder.equipmentId } : {}),
    ...(workOrder.serviceTypeId ? { serviceTypeId: workOrder.serviceTypeId } : {}),
    description: input.description,
    urgency: input.urgency,
    estimatedPrice: input.estimatedPrice,
    currency: tenant.currency,
    ...(photoIds.length > 0 ? { photoIds } : {}),
    status: 'open',
    recordedBy: actor.id,
    recorderRole: actor.role,
    ...(workOrder.technicianId ? { technicianId: workOrder.technicianId } : {}),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const event = fieldEvent(
    ids,
    actor,
    workOrder,
    'recommendation_added',
    at,
    detailsOf({
      recommendationId: recommendation.recommendationId,
      description: recommendation.description,
      urgency: recommendation.urgency,
      estimatedPrice: recommendation.estimatedPrice,
      currency: recommendation.currency,
    }),
  );
  const outcome = await recommendations.addRecommendation(recommendation, event, notesAllowedIn);
  if (outcome !== 'written') {
    const current = await workOrders.get(actor.tenantId, workOrderId);
    if (!current) throw new NotFoundError('Work order', workOrderId);
    throw refusedIn(current);
  }
  await publish(
    dependencies,
    workOrderRecommendationAdded.create(workOrder.tenantId, at, {
      ...eventDetailOf(recommendation),
      actorId: actor.id,
      actorRole: actor.role,
    }),
  );
  return recommendation;
}

/** The recommendations of a work order the actor may see, oldest first. */
export async function listRecommendations(
  dependencies: Pick<RecommendationDependencies, 'workOrders' | 'recommendations'>,
  actor: Actor,
  workOrderId: string,
): Promise<Recommendation[]> {
  await getWorkOrder(dependencies.workOrders, actor, workOrderId);
  return dependencies.recommendations.recommendations(actor.tenantId, workOrderId);
}

/**
 * The office accepts or declines an open recommendation (the customer's answer).
 * 1. Only the office decides; the recommendation must exist on the work order (404).
 * 2. Only an open one is decided (409 naming its status otherwise).
 * 3. The decision is written conditionally on the version read, with its audit event (status
 *    before and after, who and why); `WorkOrder.RecommendationDecided` follows, carrying what a
 *    follow-up or a reminder needs.
 */
export async function decideRecommendation(
  dependencies: RecommendationDependencies,
  actor: Actor,
  workOrderId: string,
  recommendationId: string,
  input: { decision: 'accepted' | 'declined'; note?: string },
): Promise<Recommendation> {
  const { workOrders, recommendations, clock, ids } = dependencies;
  if (!isOffice(actor)) throw new ForbiddenError('Only the office decides on recommendations');
  const workOrder = await getWorkOrder(workOrders, actor, workOrderId);
  const current = await recommendations.getRecommendation(actor.tenantId, workOrderId, recommendationId);
  if (!current) throw new NotFoundError('Recommendation', recommendationId);
  const undecided = (recommendation: Recommendation) =>
    new ConflictError(`The recommendation is already ${recommendation.status}`, {
      currentStatus: recommendation.status,
    });
  if (current.status !== 'open') throw undecided(current);
  const at = clock.now().toISOString();
  const decided: Recommendation = {
    ...current,
    status: input.decision,
    decidedBy: actor.id,
    decidedAt: at,
    ...(input.note ? { decisionNote: input.note } : {}),
    version: current.version + 1,
    updatedAt: at,
  };
  const event = fieldEvent(ids, actor, workOrder, `recommendation_${input.decision}`, at, {
    recommendationStatus: { before: current.status, after: decided.status },
    ...detailsOf({ recommendationId, ...(input.note ? { note: input.note } : {}) }),
  });
  const outcome = await recommendations.updateRecommendation(decided, current.version, event);
  if (outcome !== 'written') {
    const now = await recommendations.getRecommendation(actor.tenantId, workOrderId, recommendationId);
    throw undecided(now ?? current);
  }
  await publish(
    dependencies,
    workOrderRecommendationDecided.create(workOrder.tenantId, at, {
      ...eventDetailOf(decided),
      actorId: actor.id,
      actorRole: actor.role,
    }),
  );
  return decided;
}
