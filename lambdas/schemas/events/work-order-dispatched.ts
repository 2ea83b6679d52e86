import { z } from 'zod';
import { defineEvent, transitionDetail } from './event-definition.ts';

/** `WorkOrder.Dispatched` v1: A technician was assigned and sent the job. */
export const workOrderDispatched = defineEvent(
  'WorkOrder.Dispatched',
  1,
  transitionDetail.extend({ technicianId: z.string(), scheduledStart: z.string() }),
);
