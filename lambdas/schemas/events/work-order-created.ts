import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Created` v1: A work order was taken: the office created it, or a completion created it as a follow-up. */
export const workOrderCreated = defineEvent(
  'WorkOrder.Created',
  1,
  transitionDetail.extend({
    customerId: z.string(),
    locationId: z.string().optional(),
    serviceTypeId: z.string().optional(),
    priority: z.enum(['routine', 'urgent', 'emergency']),
    followUpOf: z.string().optional(),
  }),
);
