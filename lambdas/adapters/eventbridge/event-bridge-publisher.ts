import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DomainEvent, EventPublisher } from '../../ports/event-publisher.ts';

export const eventSource = 'field-service.work-orders';
const batchLimit = 10;

/** Domain events onto the platform's EventBridge bus, detail-type `<Type>.v<version>`. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: DomainEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += batchLimit) {
      const batch = events.slice(start, start + batchLimit);
      const output = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.busName,
            Source: eventSource,
            DetailType: `${event.type}.v${event.version}`,
            Time: new Date(event.occurredAt),
            Detail: JSON.stringify({ tenantId: event.tenantId, ...(event.detail as object) }),
          })),
        }),
      );
      if (output.FailedEntryCount) {
        const failures = (output.Entries ?? [])
          .filter((entry) => entry.ErrorCode)
          .map((entry) => entry.ErrorCode);
        throw new Error(`EventBridge refused ${output.FailedEntryCount} event(s): ${failures.join(', ')}`);
      }
    }
  }
}
