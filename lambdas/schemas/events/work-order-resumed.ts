import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Resumed` v1: A held work order went back to where it was. */
export const workOrderResumed = defineEvent('WorkOrder.Resumed', 1, transitionDetail);
