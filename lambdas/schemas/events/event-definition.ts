import { z } from 'zod';
import type { DomainEvent } from '../../ports/event-publisher.ts';

export const eventSource = 'field-service.work-orders';

/** What every work-order event says: which work order, its status now and before, who acted. */
export const transitionDetail = z.object({
  workOrderId: z.string(),
  status: z.string(),
  previousStatus: z.string().optional(),
  version: z.number().int(),
  actorId: z.string(),
  actorRole: z.string(),
});

export interface EventDefinition<S extends z.ZodType> {
  type: string;
  version: number;
  source: string;
  detail: S;
  /** A validated event of this type: producers cannot publish what consumers cannot parse. */
  create(tenantId: string, occurredAt: string, detail: z.input<S>): DomainEvent<z.output<S>>;
}

export function defineEvent<S extends z.ZodType>(
  type: string,
  version: number,
  detail: S,
): EventDefinition<S> {
  return {
    type,
    version,
    source: eventSource,
    detail,
    create: (tenantId, occurredAt, input) => ({
      type,
      version,
      tenantId,
      occurredAt,
      detail: detail.parse(input),
    }),
  };
}
