import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.EnRoute` v1: The technician is on the way. */
export const workOrderEnRoute = defineEvent(
  'WorkOrder.EnRoute',
  1,
  transitionDetail.extend({ technicianId: z.string().optional(), eta: z.string().optional() }),
);
