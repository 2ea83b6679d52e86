import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { type AwaitStageCommand, awaitStage } from '../../../../lambdas/domain/work-orders/await-stage.ts';
import { aWorkOrder, aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-12T15:30:00.000Z';

/** The payload the state machine's AwaitScheduling state sends. */
const anAwaitSchedulingCommand = (overrides: Partial<AwaitStageCommand> = {}): AwaitStageCommand => ({
  taskToken: 'token-await-scheduling',
  tenantId: 'ten_acme',
  workOrderId: 'wo_existing',
  state: 'AwaitScheduling',
  waitsWhile: ['new', 'on_hold'],
  proceedsWhen: [
    'scheduled',
    'dispatched',
    'en_route',
    'arrived',
    'in_progress',
    'completed',
    'invoiced',
    'paid',
  ],
  ...overrides,
});

/** The payload of AwaitFieldWork: it waits through the whole visit. */
const anAwaitFieldWorkCommand = (): AwaitStageCommand =>
  anAwaitSchedulingCommand({
    taskToken: 'token-await-field-work',
    state: 'AwaitFieldWork',
    waitsWhile: ['dispatched', 'en_route', 'arrived', 'in_progress', 'paused', 'on_hold'],
    proceedsWhen: ['completed', 'invoiced', 'paid'],
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

  describe('while the work order is in the awaited stage', () => {
    it('when it is still new, it stores the token, the waiting state and the statuses it waits through', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new', version: 2 }));

      // Act
      const result = await awaitStage(dependencies, anAwaitSchedulingCommand());

      // Assert
      expect(result).toEqual({ outcome: 'waiting', status: 'new' });
      expect(await workOrders.get('ten_acme', 'wo_existing')).toMatchObject({
        taskToken: 'token-await-scheduling',
        waitingWhile: ['new', 'on_hold'],
        workflowState: 'AwaitScheduling',
        workflowStateSince: now,
        version: 2,
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

    it('when the work order is on hold, it waits through the hold', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('on_hold'));

      // Act
      const result = await awaitStage(dependencies, anAwaitFieldWorkCommand());

      // Assert
      expect(result).toEqual({ outcome: 'waiting', status: 'on_hold' });
      expect((await workOrders.get('ten_acme', 'wo_existing'))?.taskToken).toBe('token-await-field-work');
    });

    it('when the stage waits through several statuses, it stores the token in any of them', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('arrived'));

      // Act
      const result = await awaitStage(dependencies, anAwaitFieldWorkCommand());

      // Assert
      expect(result).toEqual({ outcome: 'waiting', status: 'arrived' });
      expect(await workOrders.get('ten_acme', 'wo_existing')).toMatchObject({
        taskToken: 'token-await-field-work',
        waitingWhile: ['dispatched', 'en_route', 'arrived', 'in_progress', 'paused', 'on_hold'],
      });
    });
  });

  describe('when the API already moved the work order', () => {
    it('when the stage is done, it sends the task success with the current status and version', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('scheduled', { version: 3 }));

      // Act
      const result = await awaitStage(dependencies, anAwaitSchedulingCommand());

      // Assert
      expect(result).toEqual({ outcome: 'proceeded', status: 'scheduled' });
      expect(workflow.successes).toEqual([
        { taskToken: 'token-await-scheduling', output: { status: 'scheduled', version: 3 } },
      ]);
      expect(workflow.failures).toEqual([]);
      expect((await workOrders.get('ten_acme', 'wo_existing'))?.taskToken).toBeUndefined();
    });

    it('when it went past several stages at once, it still proceeds', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { version: 9 }));

      // Act
      const result = await awaitStage(dependencies, anAwaitSchedulingCommand());

      // Assert
      expect(result).toEqual({ outcome: 'proceeded', status: 'completed' });
      expect(workflow.successes).toEqual([
        { taskToken: 'token-await-scheduling', output: { status: 'completed', version: 9 } },
      ]);
    });

    it('when it was cancelled, it fails the task with WorkOrder.Cancelled', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('cancelled'));

      // Act
      const result = await awaitStage(dependencies, anAwaitSchedulingCommand());

      // Assert
      expect(result).toEqual({ outcome: 'cancelled', status: 'cancelled' });
      expect(workflow.failures).toEqual([
        {
          taskToken: 'token-await-scheduling',
          error: 'WorkOrder.Cancelled',
          cause: expect.stringContaining('wo_existing'),
        },
      ]);
      expect(workflow.successes).toEqual([]);
    });

    it('when it went back to an earlier stage, it fails the task with WorkOrder.Rescheduled', async () => {
      // Arrange
      workOrders.put(aWorkOrder({ status: 'new' }));

      // Act
      const result = await awaitStage(dependencies, anAwaitFieldWorkCommand());

      // Assert
      expect(result).toEqual({ outcome: 'rescheduled', status: 'new' });
      expect(workflow.failures).toEqual([
        {
          taskToken: 'token-await-field-work',
          error: 'WorkOrder.Rescheduled',
          cause: expect.stringContaining('new'),
        },
      ]);
      expect(workflow.successes).toEqual([]);
      expect((await workOrders.get('ten_acme', 'wo_existing'))?.taskToken).toBeUndefined();
    });

    it('when it was flagged needs_attention, it throws WorkOrder.NeedsAttention and answers nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('needs_attention'));

      // Act
      const error = await rejectionOf(awaitStage(dependencies, anAwaitSchedulingCommand()));

      // Assert
      expect(error).toMatchObject({ name: 'WorkOrder.NeedsAttention' });
      expect(workflow.successes).toEqual([]);
      expect(workflow.failures).toEqual([]);
    });
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

  it("when the work order is another tenant's, it throws WorkOrder.NotFound and stores no token there", async () => {
    // Arrange
    workOrders.put(aWorkOrder({ tenantId: 'ten_globex', status: 'new' }));

    // Act
    const error = await rejectionOf(awaitStage(dependencies, anAwaitSchedulingCommand()));

    // Assert
    expect(error).toMatchObject({ name: 'WorkOrder.NotFound' });
    expect((await workOrders.get('ten_globex', 'wo_existing'))?.taskToken).toBeUndefined();
  });
});

describe('awaitStage with the waiting states of the state machine', () => {
  /** The payload a waiting state of statemachines/work-order.asl.json sends, with a token. */
  const payloadOf = (state: string): AwaitStageCommand => {
    const definition = JSON.parse(readFileSync('statemachines/work-order.asl.json', 'utf8')) as {
      States: Record<
        string,
        { Parameters: { Payload: Omit<AwaitStageCommand, 'taskToken' | 'tenantId' | 'workOrderId'> } }
      >;
    };
    const {
      state: name,
      waitsWhile,
      proceedsWhen,
      requiresConfirmedSchedule,
    } = definition.States[state]?.Parameters.Payload ?? ({} as never);
    return {
      taskToken: `token-${state}`,
      tenantId: 'ten_acme',
      workOrderId: 'wo_existing',
      state: name,
      waitsWhile,
      proceedsWhen,
      ...(requiresConfirmedSchedule ? { requiresConfirmedSchedule } : {}),
    };
  };

  let workOrders: InMemoryWorkOrderStore;
  let workflow: RecordingWorkflow;
  let dependencies: Parameters<typeof awaitStage>[0];

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    workflow = new RecordingWorkflow();
    dependencies = { workOrders, workflow, clock: new SettableClock(now) };
  });

  it('when work is paused on site, AwaitFieldWork waits through the pause', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('paused', { confirmedStart: aWorkOrderAt('paused').scheduledStart }));

    // Act
    const result = await awaitStage(dependencies, payloadOf('AwaitFieldWork'));

    // Assert
    expect(result).toEqual({ outcome: 'waiting', status: 'paused' });
    expect((await workOrders.get('ten_acme', 'wo_existing'))?.waitingWhile).toContain('paused');
  });

  it.each(['AwaitScheduling', 'AwaitDispatch'])(
    'when the work order is already paused on site as %s runs late, it proceeds instead of going back to scheduling',
    async (state) => {
      // Arrange
      workOrders.put(aWorkOrderAt('paused', { confirmedStart: aWorkOrderAt('paused').scheduledStart }));

      // Act
      const result = await awaitStage(dependencies, payloadOf(state));

      // Assert
      expect(result).toEqual({ outcome: 'proceeded', status: 'paused' });
      expect(workflow.failures).toEqual([]);
    },
  );
});
