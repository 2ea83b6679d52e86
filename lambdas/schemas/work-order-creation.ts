import { z } from 'zod';
import { historyEntry, serviceTypeSuggestion } from './catalog.ts';
import { workOrderView } from './work-orders.ts';

/** What the office sees right after taking the call: the work order, what it may be, and what came before. */
export const createdWorkOrderView = workOrderView
  .extend({
    serviceTypeSuggestions: z
      .array(serviceTypeSuggestion)
      .optional()
      .meta({ description: 'When no service type was given: the likeliest, best first' }),
    relevantHistory: z.array(historyEntry).meta({
      description: 'Earlier work orders at the same equipment, location or customer, similar problems first',
    }),
  })
  .meta({ id: 'CreatedWorkOrder' });
