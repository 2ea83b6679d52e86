import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { workOrderStatuses } from '../../lambdas/adapters/dynamodb/models.ts';
import { DynamoWorkOrderStore } from '../../lambdas/adapters/dynamodb/work-order-store.ts';
import type { Actor } from '../../lambdas/domain/shared/actor.ts';
import type { WorkOrderStatus } from '../../lambdas/domain/work-orders/work-order.ts';
import type { WorkOrderStore } from '../../lambdas/ports/work-order-store.ts';
import { aStoredWorkOrder, aTenant, serviceTypeTerms, type TenantFixture } from '../fixtures/tenants.ts';
import { eventually, tableEntities } from '../helpers/local-platform.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-harness.ts';

const entities = tableEntities();

/** The whole lifecycle, each Task state once, as an operator reads it in the console. */
const everyStage = [
  'EnrichWorkOrder',
  'AwaitScheduling',
  'SendConfirmation',
  'AwaitDispatch',
  'NotifyTechnician',
  'AwaitFieldWork',
  'CompileSummary',
  'TallyPartsAndLabor',
  'CreateFollowUps',
  'ActivateNextVisit',
  'GenerateInvoice',
  'AwaitApproval',
  'SendInvoice',
  'AwaitPayment',
  'CloseWorkOrder',
];

interface Job {
  tenant: TenantFixture;
  id: string;
  office: Actor;
  technician: Actor;
}

/** The office's dispatcher, and the technician qualified for the tenant's service type. */
const actorsOf = (tenant: TenantFixture): { office: Actor; technician: Actor } => ({
  office: { tenantId: tenant.tenantId, id: 'dispatcher-dana', role: 'dispatcher' },
  technician: {
    tenantId: tenant.tenantId,
    id: 'technician-alex',
    role: 'technician',
    technicianId: tenant.technicianId,
  },
});

const tomorrowAt = (hour: number) => {
  const day = new Date(Date.now() + 24 * 60 * 60 * 1000);
  day.setUTCHours(hour, 0, 0, 0);
  return day.toISOString();
};

async function messagesAbout(tenantId: string, workOrderId: string) {
  const { data } = await entities.outboxMessage.query.byTenant({ tenantId }).go({ pages: 'all' });
  return data.filter((message) => message.workOrderId === workOrderId);
}

async function timelineOf(tenantId: string, workOrderId: string) {
  const { data } = await entities.workOrderEvent.query
    .byWorkOrder({ tenantId, workOrderId })
    .go({ pages: 'all' });
  return data;
}

describe('work-order workflow (the ASL run by the local engine with the real handlers)', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({ retryDelayMs: 5 });
  });
  afterEach(() => harness.restore());
  afterAll(() => harness.stop());

  /** A new job taken by the office, its execution waiting in AwaitScheduling. */
  async function aNewJob(): Promise<Job> {
    const tenant = await aTenant(entities);
    const actors = actorsOf(tenant);
    const workOrder = await harness.create(actors.office, {
      customerId: tenant.customerId,
      locationId: tenant.locationId,
      serviceTypeId: tenant.serviceTypeId,
      description: 'AC is blowing warm air upstairs',
      priority: 'urgent',
    });
    await harness.waitingIn(tenant.tenantId, workOrder.workOrderId, 'AwaitScheduling');
    return { tenant, id: workOrder.workOrderId, ...actors };
  }

  /** The main path up to in_progress: each step, and the waiting state the execution is in after it. */
  const fieldPath: { status: WorkOrderStatus; step: (job: Job) => Promise<unknown>; waitsIn: string }[] = [
    {
      status: 'scheduled',
      step: (job) => harness.act(job.office, job.id, { action: 'schedule', start: tomorrowAt(14) }),
      waitsIn: 'AwaitDispatch',
    },
    {
      status: 'dispatched',
      step: (job) =>
        harness.act(job.office, job.id, { action: 'dispatch', technicianId: job.tenant.technicianId }),
      waitsIn: 'AwaitFieldWork',
    },
    {
      status: 'en_route',
      step: (job) => harness.act(job.technician, job.id, { action: 'startTravel' }),
      waitsIn: 'AwaitFieldWork',
    },
    {
      status: 'arrived',
      step: (job) => harness.act(job.technician, job.id, { action: 'arrive' }),
      waitsIn: 'AwaitFieldWork',
    },
    {
      status: 'in_progress',
      step: (job) => harness.act(job.technician, job.id, { action: 'startWork' }),
      waitsIn: 'AwaitFieldWork',
    },
  ];

  /** Takes the job along the main path until it is `status`, waiting for the execution at each stage. */
  async function walk(job: Job, status: WorkOrderStatus) {
    if (status === 'new') return;
    for (const { status: reached, step, waitsIn } of fieldPath) {
      await step(job);
      await harness.waitingIn(job.tenant.tenantId, job.id, waitsIn);
      if (reached === status) return;
    }
    throw new Error(`${status} is not on the main path`);
  }

  async function signOff(job: Job) {
    await harness.addNote(job.technician, job.id, 'Replaced the failed capacitor; cooling restored');
    await harness.recordLabor(job.technician, job.id, 90);
    const summaryHash = await harness.summaryHash(job.technician, job.id);
    await harness.act(job.technician, job.id, {
      action: 'complete',
      signature: { signerName: 'Pat Doe', summaryHash },
    });
  }

  it('when a job is booked, dispatched, worked, signed off, invoiced and paid, the execution passes every stage once and ends Closed', async () => {
    // 90 minutes at the hourly rate, plus the trip charge.
    const total = serviceTypeTerms.laborRatePerHour * 1.5 + serviceTypeTerms.tripCharge;
    const job = await aNewJob();
    await walk(job, 'in_progress');
    await signOff(job);
    await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitApproval');
    await harness.act(job.office, job.id, { action: 'approveInvoice' });
    await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitPayment');
    await harness.act(job.office, job.id, { action: 'recordPayment', amount: 10_000, method: 'card' });
    const partlyPaid = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitPayment');

    await harness.act(job.office, job.id, {
      action: 'recordPayment',
      amount: total - 10_000,
      method: 'card',
    });
    const record = await harness.finished(job.id);

    expect(partlyPaid.status).toBe('invoiced');
    expect(record.status).toBe('SUCCEEDED');
    expect(harness.statesEntered(job.id)).toEqual(everyStage);
    const closed = await harness.stored(job.tenant.tenantId, job.id);
    expect(closed).toMatchObject({ status: 'paid', workflowState: 'Closed' });
    expect(closed?.taskToken).toBeUndefined();
    expect(closed?.summary).toContain('Replaced the failed capacitor; cooling restored');
    expect(closed?.summary).toContain('Labor: 1 h 30 min');
    expect(closed?.summary).toContain('Signed by Pat Doe');
    const invoice = await new DynamoWorkOrderStore(entities).getInvoice(
      job.tenant.tenantId,
      job.id,
      closed?.invoiceId ?? '',
    );
    expect(invoice).toMatchObject({ status: 'paid', total, amountPaid: total });
    const messages = await messagesAbout(job.tenant.tenantId, job.id);
    expect(messages.map((message) => message.to).sort()).toEqual([
      '+13125550100',
      '+13125550100',
      '+13125550177',
    ]);
    expect(messages.map((message) => message.subject)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Your AC repair visit on /),
        `New job ${job.id}`,
        `Invoice ${closed?.invoiceId} from Test Heating & Air`,
      ]),
    );
    expect(harness.eventsPublished(job.id)).toContain('WorkOrder.Closed');
    expect(harness.failuresReported).toEqual([]);
  });

  describe('cancellation', () => {
    it.each([
      { status: 'new', waitingIn: 'AwaitScheduling' },
      { status: 'scheduled', waitingIn: 'AwaitDispatch' },
      { status: 'dispatched', waitingIn: 'AwaitFieldWork' },
      { status: 'en_route', waitingIn: 'AwaitFieldWork' },
      { status: 'arrived', waitingIn: 'AwaitFieldWork' },
      { status: 'in_progress', waitingIn: 'AwaitFieldWork' },
    ] as const)(
      'when the office cancels a work order that is $status, the execution leaves $waitingIn and ends in WorkOrderCancelled',
      async ({ status, waitingIn }) => {
        const job = await aNewJob();
        await walk(job, status);

        await harness.act(job.office, job.id, { action: 'cancel', reason: 'Customer fixed it themselves' });
        const record = await harness.finished(job.id);

        expect(record.status).toBe('SUCCEEDED');
        expect(JSON.parse(record.output ?? '{}')).toMatchObject({
          cancellation: { Error: 'WorkOrder.Cancelled' },
        });
        // The cancellation is caught, never retried: the waiting state was entered once.
        expect(harness.statesEntered(job.id).slice(-2)).toEqual([waitingIn, 'RecordCancellation']);
        expect(harness.statesEntered(job.id).filter((state) => state === waitingIn)).toHaveLength(1);
        const stored = await harness.stored(job.tenant.tenantId, job.id);
        expect(stored).toMatchObject({ status: 'cancelled', workflowState: 'WorkOrderCancelled' });
        expect(stored?.taskToken).toBeUndefined();
        expect(harness.failuresReported).toEqual([]);
      },
    );

    it('when the office cancels a work order on hold, the execution leaves its wait and ends in WorkOrderCancelled', async () => {
      const job = await aNewJob();
      await walk(job, 'scheduled');
      await harness.act(job.office, job.id, { action: 'hold', reason: 'Waiting for the landlord' });
      const held = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitDispatch');

      await harness.act(job.office, job.id, { action: 'cancel', reason: 'Landlord hired someone else' });
      const record = await harness.finished(job.id);

      expect(held.status).toBe('on_hold');
      expect(record.status).toBe('SUCCEEDED');
      expect(harness.statesEntered(job.id).slice(-2)).toEqual(['AwaitDispatch', 'RecordCancellation']);
      expect(await harness.stored(job.tenant.tenantId, job.id)).toMatchObject({
        status: 'cancelled',
        workflowState: 'WorkOrderCancelled',
      });
    });

    it('when the work order was cancelled before its execution ran, the first step ends it in WorkOrderCancelled', async () => {
      const tenant = await aTenant(entities);
      const workOrder = await aStoredWorkOrder(entities, tenant, {
        status: 'cancelled',
        serviceTypeId: tenant.serviceTypeId,
      });

      harness.start(workOrder.workOrderId, { tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId });
      const record = await harness.finished(workOrder.workOrderId);

      expect(record.status).toBe('SUCCEEDED');
      expect(harness.statesEntered(workOrder.workOrderId)).toEqual(['EnrichWorkOrder', 'RecordCancellation']);
      expect(await harness.stored(tenant.tenantId, workOrder.workOrderId)).toMatchObject({
        status: 'cancelled',
        workflowState: 'WorkOrderCancelled',
      });
    });
  });

  describe('rescheduling', () => {
    it.each([
      { status: 'scheduled', waitingIn: 'AwaitDispatch' },
      { status: 'dispatched', waitingIn: 'AwaitFieldWork' },
      { status: 'en_route', waitingIn: 'AwaitFieldWork' },
    ] as const)(
      'when the work order is $status and is rescheduled, the execution goes back from $waitingIn to AwaitScheduling and carries on once booked again',
      async ({ status, waitingIn }) => {
        const job = await aNewJob();
        await walk(job, status);
        const before = harness.statesEntered(job.id).length;

        await harness.act(job.office, job.id, { action: 'reschedule', reason: 'Customer has to work late' });
        const unscheduled = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitScheduling');
        await harness.act(job.office, job.id, { action: 'schedule', start: tomorrowAt(17) });
        await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitDispatch');
        await harness.act(job.office, job.id, { action: 'dispatch', technicianId: job.tenant.technicianId });
        const dispatchedAgain = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitFieldWork');

        expect(unscheduled).toMatchObject({ status: 'new' });
        expect(unscheduled.scheduledStart).toBeUndefined();
        expect(unscheduled.technicianId).toBeUndefined();
        expect(harness.statesEntered(job.id).slice(before - 1)).toEqual([
          waitingIn,
          'AwaitScheduling',
          'SendConfirmation',
          'AwaitDispatch',
          'NotifyTechnician',
          'AwaitFieldWork',
        ]);
        expect(dispatchedAgain).toMatchObject({ status: 'dispatched', scheduledStart: tomorrowAt(17) });
        const confirmations = (await messagesAbout(job.tenant.tenantId, job.id)).filter((message) =>
          message.subject?.startsWith('Your AC repair visit'),
        );
        expect(confirmations).toHaveLength(2);
        expect(harness.engine.describeExecution(harness.engine.executionArnOf(job.id)).status).toBe(
          'RUNNING',
        );
        expect(harness.failuresReported).toEqual([]);
      },
    );
  });

  describe('automation failure', () => {
    it('when a step keeps failing past its retries, the work order is flagged needs_attention with its audit event, the office is told and the execution fails', async () => {
      const job = await aNewJob();
      harness.replace('WorkflowStepsFunction', async () => {
        throw Object.assign(new Error('SMS provider timed out'), { name: 'WorkOrder.Transient' });
      });

      await harness.act(job.office, job.id, { action: 'schedule', start: tomorrowAt(15) });
      const record = await harness.finished(job.id);

      expect(record).toMatchObject({ status: 'FAILED', error: 'WorkOrder.NeedsAttention' });
      // The first attempt and its five retries, then the Catch-all.
      expect(harness.statesEntered(job.id)).toEqual([
        'EnrichWorkOrder',
        'AwaitScheduling',
        ...Array<string>(6).fill('SendConfirmation'),
        'MarkNeedsAttention',
      ]);
      const stored = await harness.stored(job.tenant.tenantId, job.id);
      expect(stored).toMatchObject({ status: 'needs_attention', workflowState: 'NeedsAttention' });
      expect(stored?.taskToken).toBeUndefined();
      expect((await timelineOf(job.tenant.tenantId, job.id)).at(-1)).toMatchObject({
        action: 'needs_attention',
        actorId: 'workflow',
        actorRole: 'system',
        changes: {
          status: { before: 'scheduled', after: 'needs_attention' },
          failure: {
            after: { error: 'WorkOrder.Transient', cause: expect.stringContaining('SMS provider timed out') },
          },
        },
      });
      expect(harness.eventsPublished(job.id)).toContain('WorkOrder.NeedsAttention');
      expect(await messagesAbout(job.tenant.tenantId, job.id)).toEqual([]);
    });
  });

  describe('callbacks in either order', () => {
    /** A job booked for tomorrow whose AwaitDispatch invocation is held before it stores its token. */
    async function aBookedJobWithItsWaitHeld() {
      const job = await aNewJob();
      const held = harness.hold('AwaitStageFunction', job.id);
      await harness.act(job.office, job.id, { action: 'schedule', start: tomorrowAt(16) });
      await held.reached;
      return { job, held, awaitingBefore: harness.invocations.AwaitStageFunction ?? 0 };
    }

    const dispatchOf = (job: Job) => ({ action: 'dispatch', technicianId: job.tenant.technicianId }) as const;

    /** The execution went from AwaitDispatch to AwaitFieldWork once, with one message each way. */
    async function expectMovedOnOnce(job: Job, awaitingBefore: number) {
      const waiting = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitFieldWork');
      expect(waiting.status).toBe('dispatched');
      expect(harness.statesEntered(job.id)).toEqual(
        everyStage.slice(0, everyStage.indexOf('AwaitFieldWork') + 1),
      );
      // AwaitDispatch had already been invoked (and held); only AwaitFieldWork followed.
      expect((harness.invocations.AwaitStageFunction ?? 0) - awaitingBefore).toBe(1);
      const messages = await messagesAbout(job.tenant.tenantId, job.id);
      expect(messages.map((message) => message.to).sort()).toEqual(['+13125550100', '+13125550177']);
      const dispatches = (await timelineOf(job.tenant.tenantId, job.id)).filter(
        (event) => event.action === 'dispatch',
      );
      expect(dispatches).toHaveLength(1);
      expect(harness.failuresReported).toEqual([]);
    }

    it('when the booking changes while its confirmation is on the way, the new booking is confirmed before the job goes on', async () => {
      const job = await aNewJob();
      const held = harness.hold('AwaitStageFunction', job.id);
      const first = tomorrowAt(16);
      const second = tomorrowAt(18);
      await harness.act(job.office, job.id, { action: 'schedule', start: first });
      await held.reached;

      await harness.act(job.office, job.id, { action: 'reschedule', reason: 'Customer asked for later' });
      await harness.act(job.office, job.id, { action: 'schedule', start: second });
      held.release();
      const waiting = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitDispatch');

      expect(waiting.confirmedStart).toBe(new Date(second).toISOString());
      const entered = harness.statesEntered(job.id);
      expect(entered.filter((state) => state === 'SendConfirmation')).toHaveLength(2);
      expect(entered.filter((state) => state === 'AwaitScheduling')).toHaveLength(2);
      const confirmations = (await messagesAbout(job.tenant.tenantId, job.id)).filter((message) =>
        message.body.includes('has booked your'),
      );
      expect(confirmations).toHaveLength(2);
    });

    it('when the dispatch arrives before the waiting state stored its token, the waiting state answers itself and the execution moves on once', async () => {
      const { job, held, awaitingBefore } = await aBookedJobWithItsWaitHeld();

      const dispatched = await harness.act(job.office, job.id, dispatchOf(job));
      held.release();

      expect(dispatched.taskToken).toBeUndefined();
      await expectMovedOnOnce(job, awaitingBefore);
    });

    it('when the dispatch arrives after the waiting state stored its token, the stored token is answered and the execution moves on once', async () => {
      const { job, held, awaitingBefore } = await aBookedJobWithItsWaitHeld();
      held.release();
      await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitDispatch');

      await harness.act(job.office, job.id, dispatchOf(job));

      await expectMovedOnOnce(job, awaitingBefore);
    });

    it("when the token is stored between the dispatch's read and its write, the write is refused, read again and the stored token answered", async () => {
      const { job, held, awaitingBefore } = await aBookedJobWithItsWaitHeld();
      const store = new DynamoWorkOrderStore(entities);
      const writes: boolean[] = [];
      const storeLettingTheTokenInFirst = Object.assign(Object.create(store) as WorkOrderStore, {
        apply: async (change: Parameters<WorkOrderStore['apply']>[0]) => {
          if (writes.length === 0) {
            held.release();
            await eventually(async () => (await store.get(job.tenant.tenantId, job.id))?.taskToken);
          }
          const written = await store.apply(change);
          writes.push(written);
          return written;
        },
      });

      await harness.act(job.office, job.id, dispatchOf(job), { workOrders: storeLettingTheTokenInFirst });

      expect(writes).toEqual([false, true]);
      await expectMovedOnOnce(job, awaitingBefore);
    });
  });

  describe('resuming at the stored stage', () => {
    it.each([
      { stage: 'AwaitScheduling', status: 'new' },
      { stage: 'AwaitDispatch', status: 'scheduled' },
      { stage: 'AwaitFieldWork', status: 'dispatched' },
      { stage: 'AwaitApproval', status: 'completed' },
      { stage: 'AwaitPayment', status: 'invoiced' },
    ] as const)(
      'when an execution resumes at $stage, it enters no state before it and waits there with a fresh token',
      async ({ stage, status }) => {
        const tenant = await aTenant(entities);
        const workOrder = await aStoredWorkOrder(entities, tenant, {
          status,
          serviceTypeId: tenant.serviceTypeId,
          ...(status === 'new'
            ? {}
            : {
                scheduledStart: tomorrowAt(13),
                scheduledDate: tomorrowAt(13).slice(0, 10),
                technicianId: tenant.technicianId,
              }),
        });

        harness.start(workOrder.workOrderId, {
          tenantId: tenant.tenantId,
          workOrderId: workOrder.workOrderId,
          resumeAt: stage,
        });
        const waiting = await harness.waitingIn(tenant.tenantId, workOrder.workOrderId, stage);

        expect(harness.statesEntered(workOrder.workOrderId)).toEqual([stage]);
        expect(waiting.taskToken).toMatch(/^local-/);
        expect(waiting.status).toBe(status);
      },
    );

    it('when an execution resumed at AwaitFieldWork is answered, it carries on from there without repeating what was done before', async () => {
      const tenant = await aTenant(entities);
      const workOrder = await aStoredWorkOrder(entities, tenant, {
        status: 'dispatched',
        serviceTypeId: tenant.serviceTypeId,
        scheduledStart: tomorrowAt(13),
        scheduledDate: tomorrowAt(13).slice(0, 10),
        technicianId: tenant.technicianId,
      });
      const job: Job = { tenant, id: workOrder.workOrderId, ...actorsOf(tenant) };
      harness.start(job.id, { tenantId: tenant.tenantId, workOrderId: job.id, resumeAt: 'AwaitFieldWork' });
      await harness.waitingIn(tenant.tenantId, job.id, 'AwaitFieldWork');

      for (const action of ['startTravel', 'arrive', 'startWork'] as const) {
        await harness.act(job.technician, job.id, { action });
      }
      await signOff(job);
      await harness.waitingIn(tenant.tenantId, job.id, 'AwaitApproval');

      expect(harness.statesEntered(job.id)).toEqual([
        'AwaitFieldWork',
        'CompileSummary',
        'TallyPartsAndLabor',
        'CreateFollowUps',
        'ActivateNextVisit',
        'GenerateInvoice',
        'AwaitApproval',
      ]);
      // Neither the booking confirmation nor the technician's job package is sent again.
      expect(await messagesAbout(tenant.tenantId, job.id)).toEqual([]);
    });
  });

  it('when the same execution is started twice with the same input, it is one execution', async () => {
    const tenant = await aTenant(entities);
    const workOrder = await aStoredWorkOrder(entities, tenant);
    const input = { tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId };

    const first = harness.start(workOrder.workOrderId, input);
    const second = harness.start(workOrder.workOrderId, input);

    expect(second.executionArn).toBe(first.executionArn);
    expect(() => harness.start(workOrder.workOrderId, { ...input, extra: true })).toThrow(/already exists/);
  });
});

describe('work-order ASL file', () => {
  interface StateDefinition {
    Type: string;
    Next?: string;
    Default?: string;
    Choices?: { Next: string; And?: { Variable: string; StringEquals?: string }[] }[];
    Catch?: { ErrorEquals: string[]; Next: string }[];
    Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
    Resource?: string;
    Parameters?: {
      FunctionName?: string;
      Payload?: { state?: string; waitsWhile?: string[]; proceedsWhen?: string[] };
    };
  }
  const definition = JSON.parse(readFileSync('statemachines/work-order.asl.json', 'utf8')) as {
    StartAt: string;
    States: Record<string, StateDefinition>;
  };
  const states = Object.entries(definition.States);
  const tasks = states.filter(([, state]) => state.Type === 'Task');
  const waits = tasks.filter(([, state]) => state.Resource?.endsWith('.waitForTaskToken'));

  it('when read, every task retries transient failures and every task but the Catch-all target has a final Catch-all to MarkNeedsAttention', () => {
    for (const [name, state] of tasks) {
      expect(
        state.Retry?.some(
          (retrier) =>
            (retrier.ErrorEquals.includes('WorkOrder.Transient') ||
              retrier.ErrorEquals.includes('States.ALL')) &&
            (retrier.MaxAttempts ?? 3) > 0,
        ),
        name,
      ).toBe(true);
      if (name !== 'MarkNeedsAttention') {
        expect(state.Catch?.at(-1), name).toEqual({
          ErrorEquals: ['States.ALL'],
          ResultPath: '$.failure',
          Next: 'MarkNeedsAttention',
        });
      }
      expect(state.Parameters?.FunctionName, name).toMatch(/^\$\{\w+FunctionArn\}$/);
      expect(state.Resource, name).toMatch(/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/);
    }
  });

  it('when read, a cancellation or a reschedule is never retried, and is caught by the right state', () => {
    for (const [name, state] of tasks.filter(([taskName]) => taskName !== 'MarkNeedsAttention')) {
      for (const error of ['WorkOrder.Cancelled', 'WorkOrder.Rescheduled']) {
        const retrier = state.Retry?.find((candidate) => candidate.ErrorEquals.includes(error));
        if (name !== 'RecordCancellation') expect(retrier?.MaxAttempts, `${name} ${error}`).toBe(0);
      }
      if (name !== 'RecordCancellation') {
        expect(
          state.Catch?.find((catcher) => catcher.ErrorEquals.includes('WorkOrder.Cancelled'))?.Next,
          name,
        ).toBe('RecordCancellation');
      }
    }
    const reschedulable = tasks
      .filter(([, state]) =>
        state.Catch?.some((catcher) => catcher.ErrorEquals.includes('WorkOrder.Rescheduled')),
      )
      .map(([name, state]) => [
        name,
        state.Catch?.find((catcher) => catcher.ErrorEquals.includes('WorkOrder.Rescheduled'))?.Next,
      ]);
    // AwaitPayment: a work order found back at `completed` had its invoice voided.
    expect(reschedulable).toEqual([
      ['AwaitDispatch', 'AwaitScheduling'],
      ['AwaitFieldWork', 'AwaitScheduling'],
      ['AwaitPayment', 'AwaitApproval'],
    ]);
    const voidable = tasks
      .filter(([, state]) =>
        state.Catch?.some((catcher) => catcher.ErrorEquals.includes('WorkOrder.InvoiceVoided')),
      )
      .map(([name, state]) => [
        name,
        state.Catch?.find((catcher) => catcher.ErrorEquals.includes('WorkOrder.InvoiceVoided'))?.Next,
        state.Retry?.find((retrier) => retrier.ErrorEquals.includes('WorkOrder.InvoiceVoided'))?.MaxAttempts,
      ]);
    expect(voidable).toEqual([['AwaitPayment', 'AwaitApproval', 0]]);
  });

  it('when read, every waiting state names itself and waits through and proceeds on statuses that exist and do not overlap', () => {
    for (const [name, state] of waits) {
      const payload = state.Parameters?.Payload;
      expect(payload?.state, name).toBe(name);
      const waitsWhile = payload?.waitsWhile ?? [];
      const proceedsWhen = payload?.proceedsWhen ?? [];
      expect(waitsWhile.length, name).toBeGreaterThan(0);
      expect(proceedsWhen.length, name).toBeGreaterThan(0);
      for (const status of [...waitsWhile, ...proceedsWhen])
        expect(workOrderStatuses, name).toContain(status);
      expect(
        waitsWhile.filter((status) => proceedsWhen.includes(status)),
        name,
      ).toEqual([]);
      expect(waitsWhile, name).not.toContain('cancelled');
      expect(proceedsWhen, name).not.toContain('cancelled');
    }
  });

  it('when read, it starts with the resume Choice, which can resume at every waiting state, and every state is reachable', () => {
    const start = definition.States[definition.StartAt];
    expect(definition.StartAt).toBe('ResumeAtStoredStage');
    expect(start?.Type).toBe('Choice');
    expect(start?.Default).toBe('EnrichWorkOrder');
    const resumable = (start?.Choices ?? []).map((choice) => {
      const named = choice.And?.find((condition) => condition.StringEquals !== undefined)?.StringEquals;
      expect(named, choice.Next).toBe(choice.Next);
      return choice.Next;
    });
    expect(resumable.sort()).toEqual(waits.map(([name]) => name).sort());

    const reached = new Set<string>();
    const visit = (name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      const state = definition.States[name];
      for (const next of [
        state?.Next,
        state?.Default,
        ...(state?.Choices ?? []).map((choice) => choice.Next),
        ...(state?.Catch ?? []).map((catcher) => catcher.Next),
      ]) {
        if (next) visit(next);
      }
    };
    visit(definition.StartAt);
    expect([...reached].sort()).toEqual(Object.keys(definition.States).sort());
  });

  it('when read, the happy path runs through the stages in the order of the business', () => {
    const path: string[] = [];
    let name: string | undefined = definition.States[definition.StartAt]?.Default;
    while (name) {
      path.push(name);
      name = definition.States[name]?.Next;
    }
    expect(path).toEqual([...everyStage, 'Closed']);
    expect(definition.States.Closed?.Type).toBe('Succeed');
    expect(definition.States.WorkOrderCancelled?.Type).toBe('Succeed');
    expect(definition.States.NeedsAttention?.Type).toBe('Fail');
  });
});
