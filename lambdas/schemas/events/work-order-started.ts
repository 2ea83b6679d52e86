import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Started` v1: Work began on site. */
export const workOrderStarted = defineEvent('WorkOrder.Started', 1, transitionDetail);
