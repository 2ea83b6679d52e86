import type { DomainEvent, EventPublisher } from '../../ports/event-publisher.ts';
import { logger } from '../../shared/powertools.ts';

type Subscriber = (event: DomainEvent) => Promise<void> | void;

/**
 * The local twin of the EventBridge bus: events go to the subscribers the local runtime
 * registers (the same handlers a rule would target), and are kept for inspection.
 */
export class InProcessEventBus implements EventPublisher {
  private readonly subscribers: { matches: (event: DomainEvent) => boolean; deliver: Subscriber }[] = [];
  readonly delivered: DomainEvent[] = [];

  subscribe(types: string[] | '*', deliver: Subscriber): void {
    this.subscribers.push({ matches: (event) => types === '*' || types.includes(event.type), deliver });
  }

  async publish(events: DomainEvent[]): Promise<void> {
    for (const event of events) {
      this.delivered.push(event);
      if (this.delivered.length > 1000) this.delivered.shift();
      // Like a rule's target, a subscriber runs after the publisher has moved on; its failure is its own.
      for (const subscriber of this.subscribers.filter((candidate) => candidate.matches(event))) {
        setImmediate(() => {
          Promise.resolve()
            .then(() => subscriber.deliver(event))
            .catch((error: unknown) => logger.error('Event subscriber failed', { type: event.type, error }));
        });
      }
    }
  }
}

/** The one bus of a local process, shared by the handlers and the local runtime. */
export const localEventBus = new InProcessEventBus();
