import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OutboxNotifier, undeliverableRecipients } from '../../lambdas/adapters/local/outbox-notifier.ts';
import { S3BlobStore } from '../../lambdas/adapters/s3/s3-blob-store.ts';
import type { Actor } from '../../lambdas/domain/shared/actor.ts';
import type { WorkOrderStatus } from '../../lambdas/domain/work-orders/work-order.ts';
import type { Workflow } from '../../lambdas/ports/workflow.ts';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { eventually, tableEntities } from '../helpers/local-platform.ts';
import { reliabilityFigures } from '../helpers/reliability-figures.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-harness.ts';

const entities = tableEntities();

/**
 * A waiting state's daily look again takes a second here, and a confirmation that hangs times
 * out after three: the definition's own clocks, shortened.
 */
const timeoutSeconds = { AwaitDispatch: 1, SendConfirmation: 3 };

interface Job {
  tenant: TenantFixture;
  id: string;
  office: Actor;
  technician: Actor;
}

const tomorrowAt = (hour: number) => {
  const day = new Date(Date.now() + 24 * 60 * 60 * 1000);
  day.setUTCHours(hour, 0, 0, 0);
  return day.toISOString();
};

/** The faults the file injects, for the README's Reliability section. */
const figures = reliabilityFigures('workflow-faults', { faultsInjected: 0 });

/** A fault to throw, as a Lambda function or an AWS SDK call reports it (by its name), counted. */
const fault = (name: string, message: string, extra: Record<string, unknown> = {}) => {
  figures.faultsInjected += 1;
  return Object.assign(new Error(message), { name, ...extra });
};

/** Counts the deliveries the outbox refuses by itself (its undeliverable recipients). */
function countingRefusedDeliveries() {
  const deliver = OutboxNotifier.prototype.send;
  vi.spyOn(OutboxNotifier.prototype, 'send').mockImplementation(async function (
    this: OutboxNotifier,
    message,
  ) {
    try {
      return await deliver.call(this, message);
    } catch (error) {
      figures.faultsInjected += 1;
      throw error;
    }
  });
}

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

/** Consecutive repeats of a state (a retry, a daily look again) counted once. */
const withoutRepeats = (states: string[]) => states.filter((state, index) => state !== states[index - 1]);
const timesEntered = (states: string[], state: string) =>
  states.filter((candidate) => candidate === state).length;

describe('faults in the workflow (the ASL run by the local engine with the real handlers)', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({ retryDelayMs: 5, timeoutSeconds });
  });
  afterEach(() => {
    harness.restore();
    vi.restoreAllMocks();
  });
  afterAll(() => harness.stop());

  /** A new job taken by the office, its execution waiting in AwaitScheduling. */
  async function aNewJob(tenant?: TenantFixture): Promise<Job> {
    const owner = tenant ?? (await aTenant(entities));
    const office: Actor = { tenantId: owner.tenantId, id: 'dispatcher-dana', role: 'dispatcher' };
    const technician: Actor = {
      tenantId: owner.tenantId,
      id: 'technician-alex',
      role: 'technician',
      technicianId: owner.technicianId,
    };
    const workOrder = await harness.create(office, {
      customerId: owner.customerId,
      locationId: owner.locationId,
      serviceTypeId: owner.serviceTypeId,
      description: 'AC is blowing warm air upstairs',
      priority: 'urgent',
    });
    await harness.waitingIn(owner.tenantId, workOrder.workOrderId, 'AwaitScheduling');
    return { tenant: owner, id: workOrder.workOrderId, office, technician };
  }

  async function booked(job: Job, hour = 15) {
    await harness.act(job.office, job.id, { action: 'schedule', start: tomorrowAt(hour) });
    return harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitDispatch');
  }

  async function dispatched(job: Job) {
    await booked(job);
    await harness.act(job.office, job.id, { action: 'dispatch', technicianId: job.tenant.technicianId });
    return harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitFieldWork');
  }

  /** Worked and signed off: the execution moves on from AwaitFieldWork to the summary. */
  async function signedOff(job: Job) {
    await dispatched(job);
    for (const action of ['startTravel', 'arrive', 'startWork'] as const) {
      await harness.act(job.technician, job.id, { action });
    }
    await harness.addNote(job.technician, job.id, 'Replaced the failed capacitor; cooling restored');
    await harness.recordLabor(job.technician, job.id, 90);
    const summaryHash = await harness.summaryHash(job.technician, job.id);
    await harness.act(job.technician, job.id, {
      action: 'complete',
      signature: { signerName: 'Pat Doe', summaryHash },
    });
  }

  /** The work order flagged, with its audit event naming what failed, and the office told. */
  async function expectFlagged(job: Job, error: string) {
    const record = await harness.finished(job.id);
    expect(record).toMatchObject({ status: 'FAILED', error: 'WorkOrder.NeedsAttention' });
    const stored = await harness.stored(job.tenant.tenantId, job.id);
    expect(stored).toMatchObject({ status: 'needs_attention', workflowState: 'NeedsAttention' });
    expect((await timelineOf(job.tenant.tenantId, job.id)).at(-1)).toMatchObject({
      action: 'needs_attention',
      changes: { failure: { after: { error } } },
    });
    expect(harness.eventsPublished(job.id)).toContain('WorkOrder.NeedsAttention');
  }

  describe('a task that fails', () => {
    it.each(['WorkOrder.Transient', 'Lambda.TooManyRequestsException', 'Lambda.ServiceException'])(
      'when SendConfirmation fails with %s twice, it is retried and the job waits for dispatch with one confirmation sent',
      async (error) => {
        // Arrange
        const job = await aNewJob();
        let failures = 2;
        harness.replace('WorkflowStepsFunction', async (payload, real) => {
          if (payload.step === 'SendConfirmation' && payload.workOrderId === job.id && failures-- > 0) {
            throw fault(error, 'The function was throttled');
          }
          return real();
        });

        // Act
        const waiting = await booked(job);

        // Assert
        expect(waiting.status).toBe('scheduled');
        const entered = harness.statesEntered(job.id);
        expect(timesEntered(entered, 'SendConfirmation')).toBe(3);
        expect(entered).not.toContain('MarkNeedsAttention');
        expect(await messagesAbout(job.tenant.tenantId, job.id)).toHaveLength(1);
        expect(harness.eventsPublished(job.id)).not.toContain('WorkOrder.NeedsAttention');
      },
    );

    it.each([
      { error: 'TypeError', cause: "Cannot read properties of undefined (reading 'phone')" },
      { error: 'Sandbox.Timedout', cause: 'Task timed out after 30.00 seconds' },
    ])(
      'when a step fails with $error, it is not retried: the work order is flagged needs_attention and the office told',
      async ({ error, cause }) => {
        // Arrange
        const job = await aNewJob();
        harness.replace('WorkflowStepsFunction', async (payload, real) => {
          if (payload.step === 'SendConfirmation' && payload.workOrderId === job.id)
            throw fault(error, cause);
          return real();
        });

        // Act
        await harness.act(job.office, job.id, { action: 'schedule', start: tomorrowAt(16) });

        // Assert
        await expectFlagged(job, error);
        expect(withoutRepeats(harness.statesEntered(job.id)).slice(-2)).toEqual([
          'SendConfirmation',
          'MarkNeedsAttention',
        ]);
        expect(timesEntered(harness.statesEntered(job.id), 'SendConfirmation')).toBe(1);
      },
    );

    it('when a step hangs past its state’s timeout, States.Timeout flags the work order needs_attention', async () => {
      // Arrange
      const job = await aNewJob();
      const hung = harness.hold('WorkflowStepsFunction', job.id);
      figures.faultsInjected += 1;

      // Act
      await harness.act(job.office, job.id, { action: 'schedule', start: tomorrowAt(17) });
      await hung.reached;

      // Assert
      await expectFlagged(job, 'States.Timeout');
      // The abandoned invocation ends without doing the step: its state gave up on it long ago.
      harness.replace('WorkflowStepsFunction', async (payload, real) =>
        payload.workOrderId === job.id ? { abandoned: true } : real(),
      );
      hung.release();
      await new Promise((resolve) => setImmediate(resolve));
    });

    it('when the Catch-all itself fails twice, it is retried and the work order is still flagged', async () => {
      // Arrange
      const job = await aNewJob();
      let catchAllFailures = 2;
      harness.replace('WorkflowStepsFunction', async (payload, real) => {
        if (payload.step === 'SendConfirmation' && payload.workOrderId === job.id) {
          throw fault('TypeError', 'The template is broken');
        }
        return real();
      });
      harness.replace('MarkNeedsAttentionFunction', async (payload, real) => {
        if (payload.workOrderId === job.id && catchAllFailures-- > 0) {
          throw fault(
            'ProvisionedThroughputExceededException',
            'Rate of requests exceeds the allowed throughput',
          );
        }
        return real();
      });

      // Act
      await harness.act(job.office, job.id, { action: 'schedule', start: tomorrowAt(18) });

      // Assert
      await expectFlagged(job, 'TypeError');
      expect(timesEntered(harness.statesEntered(job.id), 'MarkNeedsAttention')).toBe(3);
    });
  });

  describe('a callback that is lost', () => {
    /** The Step Functions port of the API with its answers failing as an outage would fail them. */
    const workflowDown = (): Workflow => {
      const down = async () => {
        throw fault('ServiceUnavailableException', 'Step Functions is unavailable', { $fault: 'server' });
      };
      return { start: down, succeed: down, fail: down };
    };

    it('when SendTaskSuccess fails after the dispatch was written, the dispatch stands, the failure is reported, and the next look of AwaitDispatch carries the job on', async () => {
      // Arrange
      const job = await aNewJob();
      await booked(job);

      // Act
      const answered = await harness.act(
        job.office,
        job.id,
        { action: 'dispatch', technicianId: job.tenant.technicianId },
        { workflow: workflowDown() },
      );
      const waiting = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitFieldWork', 15_000);

      // Assert
      expect(answered).toMatchObject({ status: 'dispatched' });
      expect(answered.taskToken).toBeUndefined();
      expect(harness.failuresReported.map((reported) => reported.message)).toContain(
        `The workflow was not told of dispatch on ${job.id}`,
      );
      expect(waiting.status).toBe('dispatched');
      const entered = harness.statesEntered(job.id);
      expect(timesEntered(entered, 'AwaitDispatch')).toBeGreaterThanOrEqual(2);
      expect(timesEntered(entered, 'NotifyTechnician')).toBe(1);
      expect(entered).not.toContain('MarkNeedsAttention');
      const toTheTechnician = (await messagesAbout(job.tenant.tenantId, job.id)).filter(
        (message) => message.to === '+13125550177',
      );
      expect(toTheTechnician).toHaveLength(1);
    });

    it('when SendTaskFailure of a cancellation fails, the next look of AwaitDispatch finds it cancelled and the execution ends in WorkOrderCancelled', async () => {
      // Arrange
      const job = await aNewJob();
      await booked(job);

      // Act
      await harness.act(
        job.office,
        job.id,
        { action: 'cancel', reason: 'Customer sold the house' },
        { workflow: workflowDown() },
      );
      const record = await harness.finished(job.id);

      // Assert
      expect(record.status).toBe('SUCCEEDED');
      const stored = await harness.stored(job.tenant.tenantId, job.id);
      expect(stored).toMatchObject({ status: 'cancelled', workflowState: 'WorkOrderCancelled' });
      expect(harness.statesEntered(job.id)).toContain('RecordCancellation');
      expect(harness.statesEntered(job.id)).not.toContain('MarkNeedsAttention');
    });

    it('when nothing was lost, AwaitDispatch looks again with a fresh token, an answer to the expired one finds no task, and the dispatch is answered once', async () => {
      // Arrange
      const job = await aNewJob();
      const first = await booked(job);
      const renewed = await eventually(async () => {
        const stored = await harness.stored(job.tenant.tenantId, job.id);
        return stored?.taskToken && stored.taskToken !== first.taskToken ? stored : undefined;
      }, 10_000);

      const reportedBefore = harness.failuresReported.length;

      // Act
      const lateAnswer = (() => {
        try {
          harness.engine.sendTaskSuccess(String(first.taskToken), '{}');
          return 'answered';
        } catch (error) {
          return (error as Error).name;
        }
      })();
      await harness.act(job.office, job.id, { action: 'dispatch', technicianId: job.tenant.technicianId });
      const waiting = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitFieldWork');

      // Assert
      expect(renewed.status).toBe('scheduled');
      expect(lateAnswer).toBe('TaskDoesNotExist');
      expect(waiting.status).toBe('dispatched');
      expect(timesEntered(harness.statesEntered(job.id), 'NotifyTechnician')).toBe(1);
      expect(harness.failuresReported.slice(reportedBefore)).toEqual([]);
    });
  });

  describe('a stop in the middle of a step (the local runtime killed and started again)', () => {
    it.each([
      {
        stoppedIn: 'SendConfirmation',
        status: 'scheduled' as WorkOrderStatus,
        storedStage: 'AwaitScheduling',
        next: ['SendConfirmation', 'AwaitDispatch'],
      },
      {
        stoppedIn: 'NotifyTechnician',
        status: 'dispatched' as WorkOrderStatus,
        storedStage: 'AwaitDispatch',
        next: ['NotifyTechnician', 'AwaitFieldWork'],
      },
    ])(
      'when stopped in $stoppedIn, the execution resumed at the stored $storedStage finds the stage past, answers itself and carries on',
      async ({ status, storedStage, next }) => {
        // Arrange: the work order as the stop left it: moved on by the API, its stage still the wait before.
        const tenant = await aTenant(entities);
        const workOrder = await aStoredWorkOrder(entities, tenant, {
          status,
          serviceTypeId: tenant.serviceTypeId,
          scheduledStart: tomorrowAt(13),
          scheduledEnd: tomorrowAt(14),
          scheduledDate: tomorrowAt(13).slice(0, 10),
          technicianId: tenant.technicianId,
        });
        await entities.workOrder
          .patch({ tenantId: tenant.tenantId, workOrderId: workOrder.workOrderId })
          .set({ workflowState: storedStage })
          .go();

        // Act: what the local runtime's restart does with an execution that was running.

        figures.faultsInjected += 1;
        harness.start(workOrder.workOrderId, {
          tenantId: tenant.tenantId,
          workOrderId: workOrder.workOrderId,
          resumeAt: storedStage,
        });
        const waiting = await harness.waitingIn(tenant.tenantId, workOrder.workOrderId, next[1] as string);

        // Assert
        expect(waiting.status).toBe(status);
        expect(withoutRepeats(harness.statesEntered(workOrder.workOrderId))).toEqual([storedStage, ...next]);
        expect(await messagesAbout(tenant.tenantId, workOrder.workOrderId)).toHaveLength(1);
      },
    );
  });

  describe('the bucket and message delivery failing', () => {
    it('when the completion report cannot be written to the bucket twice (S3 SlowDown), CompileSummary is retried and the job waits for approval with its report', async () => {
      // Arrange
      const job = await aNewJob();
      const write = S3BlobStore.prototype.putObject;
      let failures = 2;
      vi.spyOn(S3BlobStore.prototype, 'putObject').mockImplementation(async function (
        this: S3BlobStore,
        object,
      ) {
        if (object.key.includes(job.id) && failures-- > 0) {
          throw fault('SlowDown', 'Please reduce your request rate.', { $fault: 'server' });
        }
        return write.call(this, object);
      });

      // Act
      await signedOff(job);
      const waiting = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitApproval');

      // Assert
      expect(waiting.completionReportKey).toContain(job.id);
      expect(timesEntered(harness.statesEntered(job.id), 'CompileSummary')).toBe(3);
      expect(harness.statesEntered(job.id)).not.toContain('MarkNeedsAttention');
    });

    it('when the invoice PDF cannot be written twice (S3 InternalError), SendInvoice is retried and the invoice goes out once', async () => {
      // Arrange
      const job = await aNewJob();
      await signedOff(job);
      await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitApproval');
      const write = S3BlobStore.prototype.putObject;
      let failures = 2;
      vi.spyOn(S3BlobStore.prototype, 'putObject').mockImplementation(async function (
        this: S3BlobStore,
        object,
      ) {
        if (object.key.includes(job.tenant.tenantId) && failures-- > 0) {
          throw fault('InternalError', 'We encountered an internal error. Please try again.', {
            $fault: 'server',
          });
        }
        return write.call(this, object);
      });

      // Act
      await harness.act(job.office, job.id, { action: 'approveInvoice' });
      const waiting = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitPayment');

      // Assert
      expect(waiting.status).toBe('invoiced');
      expect(timesEntered(harness.statesEntered(job.id), 'SendInvoice')).toBe(3);
      const invoices = (await messagesAbout(job.tenant.tenantId, job.id)).filter((message) =>
        message.subject?.startsWith('Invoice '),
      );
      expect(invoices).toHaveLength(1);
    });

    it('when the bucket refuses the report for good (AccessDenied), the work order is flagged needs_attention without retrying', async () => {
      // Arrange
      const job = await aNewJob();
      const write = S3BlobStore.prototype.putObject;
      vi.spyOn(S3BlobStore.prototype, 'putObject').mockImplementation(async function (
        this: S3BlobStore,
        object,
      ) {
        if (object.key.includes(job.id)) throw fault('AccessDenied', 'Access Denied', { $fault: 'client' });
        return write.call(this, object);
      });

      // Act
      await signedOff(job);

      // Assert
      await expectFlagged(job, 'AccessDenied');
      expect(timesEntered(harness.statesEntered(job.id), 'CompileSummary')).toBe(1);
    });

    it('when the technician’s job package meets a throttled delivery service twice, NotifyTechnician is retried and the package goes out once', async () => {
      // Arrange
      const job = await aNewJob();
      const deliver = OutboxNotifier.prototype.send;
      let failures = 2;
      vi.spyOn(OutboxNotifier.prototype, 'send').mockImplementation(async function (
        this: OutboxNotifier,
        message,
      ) {
        if (message.workOrderId === job.id && message.to === '+13125550177' && failures-- > 0) {
          throw fault('ThrottlingException', 'Rate exceeded', { $fault: 'client' });
        }
        return deliver.call(this, message);
      });

      // Act
      const waiting = await dispatched(job);

      // Assert
      expect(waiting.status).toBe('dispatched');
      expect(timesEntered(harness.statesEntered(job.id), 'NotifyTechnician')).toBe(3);
      const toTheTechnician = (await messagesAbout(job.tenant.tenantId, job.id)).filter(
        (message) => message.to === '+13125550177',
      );
      expect(toTheTechnician).toHaveLength(1);
    });

    it('when the technician cannot be reached at all, the work order is flagged needs_attention: the office must call them', async () => {
      // Arrange
      const tenant = await aTenant(entities);
      await entities.technician
        .patch({ tenantId: tenant.tenantId, technicianId: tenant.technicianId })
        .set({ phone: undeliverableRecipients[0] })
        .go();
      const job = await aNewJob(tenant);
      await booked(job);
      countingRefusedDeliveries();

      // Act
      await harness.act(job.office, job.id, { action: 'dispatch', technicianId: tenant.technicianId });

      // Assert
      await expectFlagged(job, 'UndeliverableRecipient');
    });

    it('when the customer’s confirmation fails on every attempt, it is logged failed with an audit event and the job still waits for dispatch', async () => {
      // Arrange
      const tenant = await aTenant(entities);
      await entities.customer
        .patch({ tenantId: tenant.tenantId, customerId: tenant.customerId })
        .set({ phone: undeliverableRecipients[0] })
        .go();
      const job = await aNewJob(tenant);
      countingRefusedDeliveries();

      // Act
      const waiting = await booked(job);

      // Assert
      expect(waiting.status).toBe('scheduled');
      expect(harness.statesEntered(job.id)).not.toContain('MarkNeedsAttention');
      const failed = (await timelineOf(tenant.tenantId, job.id)).filter(
        (event) => event.action === 'customer_message_failed',
      );
      expect(failed).toHaveLength(1);
      expect(failed[0]?.changes).toMatchObject({ details: { after: { attempts: 3, channel: 'sms' } } });
      const { data: logged } = await entities.customerNotification.query
        .byStatus({ tenantId: tenant.tenantId, status: 'failed' })
        .go();
      expect(logged.map((notification) => notification.workOrderId)).toEqual([job.id]);
    });
  });
});

describe('work-order ASL file: waiting states', () => {
  interface WaitingState {
    Resource?: string;
    TimeoutSeconds?: number;
    Retry?: { ErrorEquals: string[]; MaxAttempts?: number; BackoffRate?: number }[];
    Catch?: { ErrorEquals: string[]; Next: string }[];
  }
  const { States } = JSON.parse(readFileSync('statemachines/work-order.asl.json', 'utf8')) as {
    States: Record<string, WaitingState>;
  };
  const waits = Object.entries(States).filter(([, state]) => state.Resource?.endsWith('.waitForTaskToken'));

  it('when read, every waiting state times out each day and looks again for a year, then its Catch-all flags the work order', () => {
    expect(waits.map(([name]) => name)).toEqual([
      'AwaitScheduling',
      'AwaitDispatch',
      'AwaitFieldWork',
      'AwaitApproval',
      'AwaitPayment',
    ]);
    for (const [name, state] of waits) {
      expect(state.TimeoutSeconds, name).toBe(86_400);
      const again = state.Retry?.find((retrier) => retrier.ErrorEquals.includes('States.Timeout'));
      expect(again, name).toMatchObject({ ErrorEquals: ['States.Timeout'], BackoffRate: 1 });
      // The first wait and its looks again: a year in all.
      expect(((again?.MaxAttempts ?? 0) + 1) * (state.TimeoutSeconds ?? 0), name).toBe(365 * 86_400);
      expect(state.Catch?.at(-1), name).toMatchObject({
        ErrorEquals: ['States.ALL'],
        Next: 'MarkNeedsAttention',
      });
    }
  });
});
