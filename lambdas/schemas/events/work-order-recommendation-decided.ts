import { defineEvent } from './event-definition.ts';
import { recommendationDetail } from './work-order-recommendation-added.ts';

/** `WorkOrder.RecommendationDecided` v1: The office recorded the customer's yes or no to recommended work. */
export const workOrderRecommendationDecided = defineEvent(
  'WorkOrder.RecommendationDecided',
  1,
  recommendationDetail,
);
