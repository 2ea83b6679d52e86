import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EventBridgePublisher,
  eventSource,
} from '../../../lambdas/adapters/eventbridge/event-bridge-publisher.ts';
import type { DomainEvent } from '../../../lambdas/ports/event-publisher.ts';

const eventBridge = mockClient(EventBridgeClient);

const anEvent = (overrides: Partial<DomainEvent> = {}): DomainEvent => ({
  type: 'WorkOrderCreated',
  version: 1,
  tenantId: 'ten_acme',
  occurredAt: '2025-03-12T15:30:00.000Z',
  detail: { workOrderId: 'wo_01', priority: 'urgent' },
  ...overrides,
});

describe('EventBridgePublisher', () => {
  const publisher = new EventBridgePublisher(
    new EventBridgeClient({ region: 'us-east-1' }),
    'work-orders-bus',
  );

  beforeEach(() => eventBridge.reset());

  it('when publishing an event, it puts it on the bus with a versioned detail type and the source', async () => {
    // Arrange
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    // Act
    await publisher.publish([anEvent({ type: 'WorkOrderNeedsAttention', version: 2 })]);

    // Assert
    const entries = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries;
    expect(entries).toEqual([
      {
        EventBusName: 'work-orders-bus',
        Source: 'field-service.work-orders',
        DetailType: 'WorkOrderNeedsAttention.v2',
        Time: new Date('2025-03-12T15:30:00.000Z'),
        Detail: expect.any(String),
      },
    ]);
    expect(eventSource).toBe('field-service.work-orders');
  });

  it('when publishing an event, its detail holds the tenant and the event detail', async () => {
    // Arrange
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    // Act
    await publisher.publish([anEvent()]);

    // Assert
    const detail = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail;
    expect(JSON.parse(detail ?? 'null')).toEqual({
      tenantId: 'ten_acme',
      workOrderId: 'wo_01',
      priority: 'urgent',
    });
  });

  it('when publishing 23 events, it sends them in batches of at most 10, in order', async () => {
    // Arrange
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const many = Array.from({ length: 23 }, (_, index) =>
      anEvent({ detail: { workOrderId: `wo_${String(index).padStart(2, '0')}` } }),
    );

    // Act
    await publisher.publish(many);

    // Assert
    const batches = eventBridge
      .commandCalls(PutEventsCommand)
      .map((call) =>
        (call.args[0].input.Entries ?? []).map((entry) => JSON.parse(entry.Detail ?? '{}').workOrderId),
      );
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(batches.flat()).toEqual(
      many.map((event) => (event.detail as { workOrderId: string }).workOrderId),
    );
  });

  it('when there is nothing to publish, it calls nothing', async () => {
    // Act
    await publisher.publish([]);

    // Assert
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('when EventBridge refuses some entries, it throws with their error codes', async () => {
    // Arrange
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'e-1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });

    // Act
    const publish = publisher.publish([anEvent(), anEvent()]);

    // Assert
    await expect(publish).rejects.toThrow(/1 event\(s\).*ThrottlingException/);
  });
});
