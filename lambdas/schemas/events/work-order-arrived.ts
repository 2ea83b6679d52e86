import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Arrived` v1: The technician is on site. */
export const workOrderArrived = defineEvent('WorkOrder.Arrived', 1, transitionDetail);
