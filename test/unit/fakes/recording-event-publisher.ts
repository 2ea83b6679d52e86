import type { DomainEvent, EventPublisher } from '../../../lambdas/ports/event-publisher.ts';

/** Keeps every published event, in order. */
export class RecordingEventPublisher implements EventPublisher {
  readonly published: DomainEvent[] = [];

  async publish(events: DomainEvent[]): Promise<void> {
    this.published.push(...structuredClone(events));
  }

  ofType(type: string): DomainEvent[] {
    return this.published.filter((event) => event.type === type);
  }
}
