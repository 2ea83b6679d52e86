import { workOrderCancelled } from './work-order-cancelled.ts';
import { workOrderCompleted } from './work-order-completed.ts';
import { workOrderEnRoute } from './work-order-en-route.ts';
import { workOrderRescheduled } from './work-order-rescheduled.ts';

/**
 * The work-order events the customer-milestones function takes: the technician on the way and
 * the work done (told to the customer), a cancellation and a return to scheduling (the
 * day-before reminder withdrawn). The cloud's rule and the local runtime select the same ones.
 */
export const customerMilestoneEvents = [
  workOrderEnRoute,
  workOrderCompleted,
  workOrderRescheduled,
  workOrderCancelled,
] as const;
