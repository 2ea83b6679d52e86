import { z } from 'zod';
import { defineEvent } from './event-definition.ts';

/**
 * What every recommendation event carries: the recommendation whole, with the customer,
 * location, equipment and service type of its work order, so that a subscriber (a reminder, a
 * follow-up work order) needs no other read.
 */
export const recommendationDetail = z.object({
  workOrderId: z.string(),
  recommendationId: z.string(),
  customerId: z.string(),
  locationId: z.string().optional(),
  equipmentId: z.string().optional(),
  serviceTypeId: z.string().optional(),
  description: z.string(),
  urgency: z.enum(['low', 'medium', 'high', 'safety']),
  estimatedPrice: z.number().int(),
  currency: z.string(),
  photoIds: z.array(z.string()).optional(),
  status: z.enum(['open', 'accepted', 'declined']),
  recordedBy: z.string(),
  recorderRole: z.string(),
  technicianId: z.string().optional(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  decisionNote: z.string().optional(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  actorId: z.string(),
  actorRole: z.string(),
});

/** `WorkOrder.RecommendationAdded` v1: The technician (or the office) recommended extra work. */
export const workOrderRecommendationAdded = defineEvent(
  'WorkOrder.RecommendationAdded',
  1,
  recommendationDetail,
);
