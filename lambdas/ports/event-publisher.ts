export interface DomainEvent<T = unknown> {
  /** `WorkOrderCreated`, … */
  type: string;
  version: number;
  tenantId: string;
  occurredAt: string;
  detail: T;
}

/** Publishes versioned domain events: the integration surface for other systems. */
export interface EventPublisher {
  publish(events: DomainEvent[]): Promise<void>;
}
