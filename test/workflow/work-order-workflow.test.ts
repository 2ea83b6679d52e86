import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { eventually, tableEntities } from '../helpers/local-platform.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-harness.ts';

const entities = tableEntities();

async function storedWorkOrder(tenantId: string, workOrderId: string) {
  return (await entities.workOrder.get({ tenantId, workOrderId }).go()).data;
}

/** Waits until the waiting state has stored its token on the work order. */
async function storedToken(tenantId: string, workOrderId: string) {
  return eventually(async () => (await storedWorkOrder(tenantId, workOrderId))?.taskToken);
}

describe('work-order state machine (ASL run by the local engine with the real handlers)', () => {
  let harness: WorkflowHarness;
  let tenant: TenantFixture;

  beforeAll(async () => {
    harness = await startWorkflowHarness();
    tenant = await aTenant(entities);
  });
  afterAll(() => harness.stop());

  it('when a work order starts, it waits in AwaitScheduling with its token stored on the work order', async () => {
    const workOrder = await aStoredWorkOrder(entities, tenant);

    harness.start(workOrder.workOrderId, { tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId });
    await storedToken(tenant.tenantId, workOrder.workOrderId);

    const stored = await storedWorkOrder(tenant.tenantId, workOrder.workOrderId);
    expect(stored).toMatchObject({ workflowState: 'AwaitScheduling', status: 'new', version: 1 });
    expect(
      harness.engine.describeExecution(harness.engine.executionArnOf(workOrder.workOrderId)).status,
    ).toBe('RUNNING');
  });

  it('when the transition happens after the token was stored, the stored token resumes the execution', async () => {
    const workOrder = await aStoredWorkOrder(entities, tenant);
    harness.start(workOrder.workOrderId, { tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId });
    const token = await storedToken(tenant.tenantId, workOrder.workOrderId);
    const { workflow } = await import('../../lambdas/adapters/dependencies.ts');

    await entities.workOrder
      .patch({ tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId })
      .set({ status: 'scheduled' })
      .go();
    await workflow().succeed(token, { status: 'scheduled' });
    const record = await harness.finished(workOrder.workOrderId);

    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({ scheduling: { status: 'scheduled' } });
  });

  it('when the transition happened before the waiting state ran, the handler answers the state itself', async () => {
    const workOrder = await aStoredWorkOrder(entities, tenant, { status: 'scheduled' });

    harness.start(workOrder.workOrderId, { tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId });
    const record = await harness.finished(workOrder.workOrderId);

    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({
      scheduling: { status: 'scheduled', version: 1 },
    });
    expect((await storedWorkOrder(tenant.tenantId, workOrder.workOrderId))?.taskToken).toBeUndefined();
  });

  it('when the work order was cancelled before the wait, the execution ends in WorkOrderCancelled', async () => {
    const workOrder = await aStoredWorkOrder(entities, tenant, { status: 'cancelled' });

    harness.start(workOrder.workOrderId, { tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId });
    const record = await harness.finished(workOrder.workOrderId);

    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({
      cancellation: { Error: 'WorkOrder.Cancelled' },
    });
  });

  it('when a waiting work order is cancelled, the failure is caught as a cancellation and never retried', async () => {
    const workOrder = await aStoredWorkOrder(entities, tenant);
    harness.start(workOrder.workOrderId, { tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId });
    const token = await storedToken(tenant.tenantId, workOrder.workOrderId);
    const before = harness.invocations.AwaitStageFunction ?? 0;
    const { workflow } = await import('../../lambdas/adapters/dependencies.ts');

    await workflow().fail(token, 'WorkOrder.Cancelled', 'Customer called to cancel');
    const record = await harness.finished(workOrder.workOrderId);

    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({
      cancellation: { Error: 'WorkOrder.Cancelled' },
    });
    expect(harness.invocations.AwaitStageFunction).toBe(before);
  });

  it('when an execution resumes at its stored stage, it waits there again with a fresh token', async () => {
    const workOrder = await aStoredWorkOrder(entities, tenant);

    harness.start(workOrder.workOrderId, {
      tenantId: tenant.tenantId,
      workOrderId: workOrder.workOrderId,
      resumeAt: 'AwaitScheduling',
    });
    const token = await storedToken(tenant.tenantId, workOrder.workOrderId);

    expect(token).toMatch(/^local-/);
    expect((await storedWorkOrder(tenant.tenantId, workOrder.workOrderId))?.workflowState).toBe(
      'AwaitScheduling',
    );
  });

  it('when the same execution is started twice with the same input, it is one execution', async () => {
    const workOrder = await aStoredWorkOrder(entities, tenant);
    const input = { tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId };

    const first = harness.start(workOrder.workOrderId, input);
    const second = harness.start(workOrder.workOrderId, input);

    expect(second.executionArn).toBe(first.executionArn);
    expect(() => harness.start(workOrder.workOrderId, { ...input, extra: true })).toThrow(/already exists/);
  });
});

describe('work-order state machine when a step fails', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({
      AwaitStageFunction: async () => {
        throw Object.assign(new Error('Connection reset by peer'), { name: 'SocketError' });
      },
    });
  });
  afterAll(() => harness.stop());

  it('when a task fails, the Catch-all marks the work order needs_attention, audits it and fails the execution', async () => {
    const tenant = await aTenant(entities);
    const workOrder = await aStoredWorkOrder(entities, tenant);

    harness.start(workOrder.workOrderId, { tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId });
    const record = await harness.finished(workOrder.workOrderId);

    expect(record).toMatchObject({ status: 'FAILED', error: 'WorkOrder.NeedsAttention' });
    const stored = await storedWorkOrder(tenant.tenantId, workOrder.workOrderId);
    expect(stored).toMatchObject({ status: 'needs_attention', workflowState: 'NeedsAttention', version: 2 });
    const events = await entities.workOrderEvent.query
      .byWorkOrder({ tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId })
      .go();
    expect(events.data).toEqual([
      expect.objectContaining({
        action: 'needs_attention',
        actorId: 'workflow',
        changes: expect.objectContaining({
          status: { before: 'new', after: 'needs_attention' },
          failure: {
            after: { error: 'SocketError', cause: expect.stringContaining('Connection reset by peer') },
          },
        }),
      }),
    ]);
  });
});

describe('work-order ASL file', () => {
  const definition = JSON.parse(readFileSync('statemachines/work-order.asl.json', 'utf8')) as {
    StartAt: string;
    States: Record<
      string,
      {
        Type: string;
        Next?: string;
        Default?: string;
        Choices?: { Next: string }[];
        Catch?: { ErrorEquals: string[]; Next: string }[];
        Retry?: unknown[];
        Resource?: string;
        Parameters?: { FunctionName?: string };
      }
    >;
  };
  const states = Object.entries(definition.States);

  it('when read, every task retries and every task but the Catch-all target has a Catch-all', () => {
    for (const [name, state] of states.filter(([, candidate]) => candidate.Type === 'Task')) {
      expect(state.Retry?.length, name).toBeGreaterThan(0);
      if (name !== 'MarkNeedsAttention') {
        expect(
          state.Catch?.some(
            (catcher) => catcher.ErrorEquals.includes('States.ALL') && catcher.Next === 'MarkNeedsAttention',
          ),
          name,
        ).toBe(true);
      }
      expect(state.Parameters?.FunctionName, name).toMatch(/^\$\{\w+FunctionArn\}$/);
      expect(state.Resource, name).toMatch(/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/);
    }
  });

  it('when read, it starts with the resume Choice and every state is reachable', () => {
    expect(definition.States[definition.StartAt]?.Type).toBe('Choice');
    const reached = new Set<string>();
    const visit = (name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      const state = definition.States[name];
      for (const next of [
        state?.Next,
        state?.Default,
        ...(state?.Choices ?? []).map((c) => c.Next),
        ...(state?.Catch ?? []).map((c) => c.Next),
      ]) {
        if (next) visit(next);
      }
    };
    visit(definition.StartAt);
    expect([...reached].sort()).toEqual(Object.keys(definition.States).sort());
  });
});
