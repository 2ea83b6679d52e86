import { z } from 'zod';
import type { DomainEvent } from '../../ports/event-publisher.ts';
import { type EventDefinition, eventSource } from './event-definition.ts';

/**
 * A domain event as an EventBridge rule hands it to a Lambda target: detail-type
 * `<Type>.v<version>`, the tenant inside the detail. The local runtime builds the same shape
 * from the in-process bus, so an event function has one input.
 */
export const busEvent = z.object({
  'detail-type': z.string().min(1),
  source: z.literal(eventSource),
  time: z.string().optional(),
  detail: z.looseObject({ tenantId: z.string().min(1) }),
});

export type BusEvent = z.infer<typeof busEvent>;

/** The detail-type EventBridge carries an event of this definition under. */
export const detailTypeOf = (definition: Pick<EventDefinition<z.ZodType>, 'type' | 'version'>): string =>
  `${definition.type}.v${definition.version}`;

/** What a rule's target receives for a published domain event. */
export const toBusEvent = (event: DomainEvent): BusEvent => ({
  'detail-type': detailTypeOf(event),
  source: eventSource,
  time: event.occurredAt,
  detail: { tenantId: event.tenantId, ...(event.detail as object) },
});
