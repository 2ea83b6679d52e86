import { beforeEach, describe, expect, it } from 'vitest';
import { type AwaitStageCommand, awaitStage } from '../../../../lambdas/domain/work-orders/await-stage.ts';
import { aWorkOrder } from '../../../fixtures/unit-records.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-12T15:30:00.000Z';

const anAwaitSchedulingCommand = (overrides: Partial<AwaitStageCommand> = {}): AwaitStageCommand => ({
  taskToken: 'token-await-scheduling',
  tenantId: 'ten_acme',
  workOrderId: 'wo_existing',
  state: 'AwaitScheduling',
  waitsWhileStatusIn: ['new'],
  ...overrides,
});

describe('awaitStage', () => {
  let workOrders: InMemoryWorkOrderStore;
  let workflow: RecordingWorkflow;
  let dependencies: Parameters<typeof awaitStage>[0];

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    workflow = new RecordingWorkflow();
    dependencies = { workOrders, workflow, clock: new SettableClock(now) };
  });

  it('when the work order is still in the awaited stage, it stores the token and the waiting state', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'new' }));

    // Act
    const result = await awaitStage(dependencies, anAwaitSchedulingCommand());

    // Assert
    expect(result).toEqual({ waiting: true, status: 'new' });
    expect(await workOrders.get('ten_acme', 'wo_existing')).toMatchObject({
      taskToken: 'token-await-scheduling',
      workflowState: 'AwaitScheduling',
      workflowStateSince: now,
    });
  });

  it('when it stores the token, it does not answer the waiting state itself', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'new' }));

    // Act
    await awaitStage(dependencies, anAwaitSchedulingCommand());

    // Assert
    expect(workflow.successes).toEqual([]);
    expect(workflow.failures).toEqual([]);
  });

  it('when the stage waits on one of several statuses, it stores the token for any of them', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'arrived' }));
    const command = anAwaitSchedulingCommand({
      state: 'AwaitCompletion',
      taskToken: 'token-await-completion',
      waitsWhileStatusIn: ['dispatched', 'en_route', 'arrived', 'in_progress'],
    });

    // Act
    const result = await awaitStage(dependencies, command);

    // Assert
    expect(result).toEqual({ waiting: true, status: 'arrived' });
    expect((await workOrders.get('ten_acme', 'wo_existing'))?.taskToken).toBe('token-await-completion');
  });

  it('when the API already moved the work order on, it sends the task success with the current status', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'scheduled', version: 3 }));

    // Act
    const result = await awaitStage(dependencies, anAwaitSchedulingCommand());

    // Assert
    expect(result).toEqual({ waiting: false, status: 'scheduled' });
    expect(workflow.successes).toEqual([
      { taskToken: 'token-await-scheduling', output: { status: 'scheduled', version: 3 } },
    ]);
    expect(workflow.failures).toEqual([]);
    expect((await workOrders.get('ten_acme', 'wo_existing'))?.taskToken).toBeUndefined();
  });

  it('when the work order was cancelled meanwhile, it fails the task with WorkOrder.Cancelled', async () => {
    // Arrange
    workOrders.put(aWorkOrder({ status: 'cancelled' }));

    // Act
    const result = await awaitStage(dependencies, anAwaitSchedulingCommand());

    // Assert
    expect(result).toEqual({ waiting: false, status: 'cancelled' });
    expect(workflow.failures).toEqual([
      {
        taskToken: 'token-await-scheduling',
        error: 'WorkOrder.Cancelled',
        cause: expect.stringContaining('wo_existing'),
      },
    ]);
    expect(workflow.successes).toEqual([]);
  });

  it('when the work order does not exist, it throws an error named WorkOrder.NotFound', async () => {
    // Act
    const error = await rejectionOf(
      awaitStage(dependencies, anAwaitSchedulingCommand({ workOrderId: 'wo_gone' })),
    );

    // Assert
    expect(error).toMatchObject({ name: 'WorkOrder.NotFound', message: expect.stringContaining('wo_gone') });
    expect(workflow.successes).toEqual([]);
    expect(workflow.failures).toEqual([]);
  });

  it("when the work order is another tenant's, it throws WorkOrder.NotFound", async () => {
    // Arrange
    workOrders.put(aWorkOrder({ tenantId: 'ten_globex', status: 'new' }));

    // Act
    const error = await rejectionOf(awaitStage(dependencies, anAwaitSchedulingCommand()));

    // Assert
    expect(error).toMatchObject({ name: 'WorkOrder.NotFound' });
    expect((await workOrders.get('ten_globex', 'wo_existing'))?.taskToken).toBeUndefined();
  });
});
