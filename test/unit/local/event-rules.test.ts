import { describe, expect, it } from 'vitest';
import { InProcessEventBus } from '../../../lambdas/adapters/local/in-process-event-bus.ts';
import { busEvent } from '../../../lambdas/schemas/events/bus-event.ts';
import { customerMilestoneEvents } from '../../../lambdas/schemas/events/customer-milestone-events.ts';
import { workOrderArrived } from '../../../lambdas/schemas/events/work-order-arrived.ts';
import { workOrderEnRoute } from '../../../lambdas/schemas/events/work-order-en-route.ts';
import { deliverBusEvents } from '../../../lib/local/event-rules.ts';

const base = {
  workOrderId: 'wo_1',
  status: 'en_route',
  version: 4,
  actorId: 'user-1',
  actorRole: 'technician',
};

describe('deliverBusEvents', () => {
  it('when a selected event is published, the function gets it as EventBridge delivers it; others it never sees', async () => {
    // Arrange
    const bus = new InProcessEventBus();
    const received: unknown[] = [];
    deliverBusEvents(bus, customerMilestoneEvents, 'CustomerMilestonesFunction', async (event) => {
      received.push(event);
      return undefined;
    });

    // Act
    await bus.publish([
      workOrderEnRoute.create('ten_acme', '2025-03-14T12:40:00.000Z', {
        ...base,
        eta: '2025-03-14T13:10:00.000Z',
      }),
      workOrderArrived.create('ten_acme', '2025-03-14T13:09:00.000Z', { ...base, status: 'arrived' }),
    ]);
    await new Promise((resolve) => setImmediate(resolve));

    // Assert
    expect(received).toEqual([
      {
        'detail-type': 'WorkOrder.EnRoute.v1',
        source: 'field-service.work-orders',
        time: '2025-03-14T12:40:00.000Z',
        detail: { tenantId: 'ten_acme', ...base, eta: '2025-03-14T13:10:00.000Z' },
      },
    ]);
    expect(busEvent.safeParse(received[0]).success).toBe(true);
  });
});
