import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/domain/shared/actor.ts';
import { aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { tableEntities } from '../helpers/local-platform.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-harness.ts';

const entities = tableEntities();

interface Job {
  tenant: TenantFixture;
  id: string;
  office: Actor;
  technician: Actor;
}

/** Tomorrow at `hour` UTC: 13–20 UTC falls in the fixture technicians' 06:00–20:00 Chicago day. */
const tomorrowAt = (hour: number) => {
  const day = new Date(Date.now() + 24 * 60 * 60 * 1000);
  day.setUTCHours(hour, 0, 0, 0);
  return day.toISOString();
};

describe('pausing work while the workflow waits for the field work (the ASL run by the local engine)', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({ retryDelayMs: 5 });
  });
  afterEach(() => harness.restore());
  afterAll(() => harness.stop());

  /** A job taken by the office, booked tomorrow afternoon, its execution waiting for dispatch. */
  async function aBookedJob(): Promise<Job> {
    const tenant = await aTenant(entities);
    const office: Actor = { tenantId: tenant.tenantId, id: 'dispatcher-dana', role: 'dispatcher' };
    const technician: Actor = {
      tenantId: tenant.tenantId,
      id: 'technician-alex',
      role: 'technician',
      technicianId: tenant.technicianId,
    };
    const workOrder = await harness.create(office, {
      customerId: tenant.customerId,
      locationId: tenant.locationId,
      serviceTypeId: tenant.serviceTypeId,
      description: 'AC is blowing warm air upstairs',
      priority: 'urgent',
    });
    await harness.waitingIn(tenant.tenantId, workOrder.workOrderId, 'AwaitScheduling');
    await harness.act(office, workOrder.workOrderId, { action: 'schedule', start: tomorrowAt(15) });
    await harness.waitingIn(tenant.tenantId, workOrder.workOrderId, 'AwaitDispatch');
    return { tenant, id: workOrder.workOrderId, office, technician };
  }

  const onSite = async (job: Job) => {
    for (const action of ['startTravel', 'arrive', 'startWork'] as const) {
      await harness.act(job.technician, job.id, { action });
    }
  };

  const signOff = async (job: Job) => {
    await harness.addNote(job.technician, job.id, 'Waited for the capacitor, then replaced it');
    await harness.recordLabor(job.technician, job.id, 75);
    await harness.act(job.technician, job.id, {
      action: 'complete',
      noSignatureReason: 'Customer left for work',
    });
  };

  it('when the technician pauses and resumes twice before completing, the execution keeps its one wait and still goes on to invoicing', async () => {
    // Arrange
    const job = await aBookedJob();
    await harness.act(job.office, job.id, { action: 'dispatch', technicianId: job.tenant.technicianId });
    const waiting = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitFieldWork');
    await onSite(job);

    // Act
    await harness.act(job.technician, job.id, { action: 'pause', reason: 'Waiting for parts' });
    const paused = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitFieldWork');
    await harness.act(job.technician, job.id, { action: 'resumeWork' });
    await harness.act(job.technician, job.id, { action: 'pause', reason: 'Lunch' });
    await harness.act(job.technician, job.id, { action: 'resumeWork' });
    await signOff(job);
    const invoicing = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitApproval');

    // Assert
    expect(paused).toMatchObject({ status: 'paused', taskToken: waiting.taskToken });
    expect(invoicing.status).toBe('completed');
    expect(invoicing.invoiceId).toEqual(expect.any(String));
    const entered = harness.statesEntered(job.id);
    expect(entered.filter((state) => state === 'AwaitFieldWork')).toHaveLength(1);
    expect(entered).toEqual(expect.arrayContaining(['CompileSummary', 'GenerateInvoice', 'AwaitApproval']));
    expect(entered).not.toContain('MarkNeedsAttention');
    expect(harness.eventsPublished(job.id)).toEqual(
      expect.arrayContaining(['WorkOrder.Paused', 'WorkOrder.WorkResumed', 'WorkOrder.Completed']),
    );
    expect(harness.failuresReported).toEqual([]);
  });

  it('when the work is already paused before AwaitFieldWork stores its token, it waits through the pause and goes on after completion', async () => {
    // Arrange
    const job = await aBookedJob();
    const held = harness.hold('AwaitStageFunction', job.id);
    await harness.act(job.office, job.id, { action: 'dispatch', technicianId: job.tenant.technicianId });
    await held.reached;
    await onSite(job);
    await harness.act(job.technician, job.id, { action: 'pause', reason: 'Customer away' });

    // Act
    held.release();
    const waiting = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitFieldWork');
    await harness.act(job.technician, job.id, { action: 'resumeWork' });
    await signOff(job);
    const invoicing = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitApproval');

    // Assert
    expect(waiting.status).toBe('paused');
    expect(invoicing.status).toBe('completed');
    expect(harness.statesEntered(job.id).filter((state) => state === 'AwaitScheduling')).toHaveLength(1);
  });

  it('when the office cancels paused work, the execution leaves AwaitFieldWork and ends in WorkOrderCancelled', async () => {
    // Arrange
    const job = await aBookedJob();
    await harness.act(job.office, job.id, { action: 'dispatch', technicianId: job.tenant.technicianId });
    await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitFieldWork');
    await onSite(job);
    await harness.act(job.technician, job.id, { action: 'pause', reason: 'Customer asked us to stop' });

    // Act
    await harness.act(job.office, job.id, { action: 'cancel', reason: 'Customer will replace the unit' });
    const record = await harness.finished(job.id);

    // Assert
    expect(record.status).toBe('SUCCEEDED');
    expect(await harness.stored(job.tenant.tenantId, job.id)).toMatchObject({
      status: 'cancelled',
      workflowState: 'WorkOrderCancelled',
    });
  });
});
