import { beforeEach, describe, expect, it } from 'vitest';
import { markNeedsAttention } from '../../../../lambdas/domain/work-orders/mark-needs-attention.ts';
import { aWorkOrder } from '../../../fixtures/unit-records.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-12T15:30:00.000Z';
const sendConfirmationFailed = {
  tenantId: 'ten_acme',
  workOrderId: 'wo_existing',
  error: 'States.TaskFailed',
  cause: 'SES rejected the address',
};

describe('markNeedsAttention', () => {
  let workOrders: InMemoryWorkOrderStore;
  let events: RecordingEventPublisher;
  let dependencies: Parameters<typeof markNeedsAttention>[0];

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    events = new RecordingEventPublisher();
    dependencies = { workOrders, events, clock: new SettableClock(now), ids: new SequentialIds() };
  });

  it('when the work order is waiting, it flags it needs_attention and drops the task token', async () => {
    // Arrange
    workOrders.put(
      aWorkOrder({
        status: 'scheduled',
        workflowState: 'SendConfirmation',
        taskToken: 'token-1',
        waitingWhile: ['scheduled', 'on_hold'],
        version: 4,
      }),
    );

    // Act
    const result = await markNeedsAttention(dependencies, sendConfirmationFailed);

    // Assert
    const stored = await workOrders.get('ten_acme', 'wo_existing');
    expect(stored).toEqual(result);
    expect(stored).toMatchObject({
      status: 'needs_attention',
      workflowState: 'NeedsAttention',
      workflowStateSince: now,
      version: 5,
      updatedAt: now,
    });
    expect(stored).not.toHaveProperty('taskToken');
    expect(stored).not.toHaveProperty('waitingWhile');
  });

  it('when flagged, it writes an audit event by the workflow with the status change and the failure', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'scheduled' }));

    // Act
    await markNeedsAttention(dependencies, sendConfirmationFailed);

    // Assert
    expect(workOrders.eventsOf('ten_acme', 'wo_existing')).toEqual([
      {
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        eventId: expect.stringMatching(/^evt_/),
        action: 'needs_attention',
        actorId: 'workflow',
        actorRole: 'system',
        at: now,
        changes: {
          status: { before: 'scheduled', after: 'needs_attention' },
          failure: { after: { error: 'States.TaskFailed', cause: 'SES rejected the address' } },
        },
      },
    ]);
  });

  it('when the failure cause is very long, it keeps its first 1000 characters in the audit trail', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'scheduled' }));

    // Act
    await markNeedsAttention(dependencies, { ...sendConfirmationFailed, cause: 'x'.repeat(5000) });

    // Assert
    const [event] = workOrders.eventsOf('ten_acme', 'wo_existing');
    expect(event?.changes.failure?.after).toEqual({ error: 'States.TaskFailed', cause: 'x'.repeat(1000) });
  });

  it('when the failure is not described, it records it as unknown', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'scheduled' }));

    // Act
    await markNeedsAttention(dependencies, { tenantId: 'ten_acme', workOrderId: 'wo_existing' });

    // Assert
    const [event] = workOrders.eventsOf('ten_acme', 'wo_existing');
    expect(event?.changes.failure?.after).toEqual({ error: 'unknown', cause: '' });
  });

  it('when flagged, it publishes WorkOrder.NeedsAttention with the previous status and the error', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'dispatched', version: 5 }));

    // Act
    await markNeedsAttention(dependencies, sendConfirmationFailed);

    // Assert
    expect(events.published).toEqual([
      {
        type: 'WorkOrder.NeedsAttention',
        version: 1,
        tenantId: 'ten_acme',
        occurredAt: now,
        detail: {
          workOrderId: 'wo_existing',
          status: 'needs_attention',
          previousStatus: 'dispatched',
          version: 6,
          actorId: 'workflow',
          actorRole: 'system',
          error: 'States.TaskFailed',
        },
      },
    ]);
  });

  it('when the work order is already flagged, it changes, records and publishes nothing', async () => {
    // Arrange
    const flagged = aWorkOrder({ status: 'needs_attention', workflowState: 'NeedsAttention', version: 6 });
    workOrders.put(flagged);

    // Act
    const result = await markNeedsAttention(dependencies, sendConfirmationFailed);

    // Assert
    expect(result).toEqual(flagged);
    expect(await workOrders.get('ten_acme', 'wo_existing')).toEqual(flagged);
    expect(workOrders.eventsOf('ten_acme', 'wo_existing')).toEqual([]);
    expect(events.published).toEqual([]);
  });

  it.each(['cancelled', 'paid'] as const)(
    'when the work order is %s, it leaves it as it is: there is nothing left to attend to',
    async (status) => {
      // Arrange
      const over = aWorkOrder({ status, version: 7 });
      workOrders.put(over);

      // Act
      const result = await markNeedsAttention(dependencies, sendConfirmationFailed);

      // Assert
      expect(result).toEqual(over);
      expect(await workOrders.get('ten_acme', 'wo_existing')).toEqual(over);
      expect(workOrders.applyAttempts).toBe(0);
      expect(events.published).toEqual([]);
    },
  );

  it('when flagged, it tells the operators once, with the work order and the error', async () => {
    // Arrange
    const reported: { workOrderId: string; status: string; error: string }[] = [];
    workOrders.put(aWorkOrder({ status: 'scheduled' }));
    const counted = {
      ...dependencies,
      reportNeedsAttention: (workOrder: { workOrderId: string; status: string }, error: string) =>
        reported.push({ workOrderId: workOrder.workOrderId, status: workOrder.status, error }),
    };

    // Act
    await markNeedsAttention(counted, sendConfirmationFailed);
    await markNeedsAttention(counted, sendConfirmationFailed);

    // Assert
    expect(reported).toEqual([
      { workOrderId: 'wo_existing', status: 'needs_attention', error: 'States.TaskFailed' },
    ]);
  });

  it('when the work order changes meanwhile and the flag is retried, the operators are told once', async () => {
    // Arrange
    const reported: string[] = [];
    workOrders.put(aWorkOrder({ status: 'scheduled', version: 2 }));
    workOrders.beforeNextApply(async () => {
      workOrders.put(aWorkOrder({ status: 'scheduled', version: 3 }));
    });

    // Act
    await markNeedsAttention(
      { ...dependencies, reportNeedsAttention: (workOrder) => reported.push(workOrder.workOrderId) },
      sendConfirmationFailed,
    );

    // Assert
    expect(workOrders.applyAttempts).toBe(2);
    expect(reported).toEqual(['wo_existing']);
  });

  it('when a waiting state stores its token meanwhile, it retries and drops that token too', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'scheduled', version: 2 }));
    workOrders.beforeNextApply(async () => {
      await workOrders.recordWait({
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        state: 'AwaitDispatch',
        taskToken: 'token-late',
        at: now,
        whileStatusIn: ['scheduled', 'on_hold'],
      });
    });

    // Act
    const result = await markNeedsAttention(dependencies, sendConfirmationFailed);

    // Assert
    expect(workOrders.applyAttempts).toBe(2);
    expect(result).toMatchObject({ status: 'needs_attention', version: 3 });
    expect(await workOrders.get('ten_acme', 'wo_existing')).not.toHaveProperty('taskToken');
  });

  it('when the office changes the work order meanwhile, it retries on the new version and keeps their change', async () => {
    // Arrange
    const original = aWorkOrder({ status: 'scheduled', priority: 'routine', version: 2 });
    workOrders.put(original);
    workOrders.beforeNextApply(() => {
      workOrders.put({ ...original, priority: 'emergency', version: 3 });
    });

    // Act
    const result = await markNeedsAttention(dependencies, sendConfirmationFailed);

    // Assert
    expect(workOrders.applyAttempts).toBe(2);
    expect(result).toMatchObject({ status: 'needs_attention', priority: 'emergency', version: 4 });
    expect(await workOrders.get('ten_acme', 'wo_existing')).toEqual(result);
    expect(workOrders.eventsOf('ten_acme', 'wo_existing')).toHaveLength(1);
    expect(events.published).toHaveLength(1);
  });

  it('when the work order keeps changing, it gives up with WorkOrder.Transient and publishes nothing', async () => {
    // Arrange
    let version = 1;
    workOrders.put(aWorkOrder({ status: 'scheduled', version }));
    for (let edit = 0; edit < 10; edit += 1) {
      workOrders.beforeNextApply(() => {
        version += 1;
        workOrders.put(aWorkOrder({ status: 'scheduled', version }));
      });
    }

    // Act
    const error = await rejectionOf(markNeedsAttention(dependencies, sendConfirmationFailed));

    // Assert
    expect(error).toMatchObject({ name: 'WorkOrder.Transient' });
    expect(workOrders.applyAttempts).toBe(5);
    expect((await workOrders.get('ten_acme', 'wo_existing'))?.status).toBe('scheduled');
    expect(events.published).toEqual([]);
  });

  it('when the work order does not exist, it throws an error named WorkOrder.NotFound', async () => {
    // Act
    const error = await rejectionOf(markNeedsAttention(dependencies, sendConfirmationFailed));

    // Assert
    expect(error).toMatchObject({ name: 'WorkOrder.NotFound' });
    expect(events.published).toEqual([]);
  });
});
