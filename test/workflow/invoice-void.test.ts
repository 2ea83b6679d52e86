import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvoiceDependencies } from '../../lambdas/domain/invoicing/invoices.ts';
import type { Actor } from '../../lambdas/domain/shared/actor.ts';
import { aTenant, serviceTypeTerms, type TenantFixture } from '../fixtures/tenants.ts';
import { tableEntities } from '../helpers/local-platform.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-harness.ts';

const entities = tableEntities();

const tomorrowAt = (hour: number) => {
  const day = new Date(Date.now() + 24 * 60 * 60 * 1000);
  day.setUTCHours(hour, 0, 0, 0);
  return day.toISOString();
};

interface Job {
  tenant: TenantFixture;
  id: string;
  office: Actor;
  technician: Actor;
}

describe('voiding an invoice while the workflow bills it (the ASL run by the local engine)', () => {
  let harness: WorkflowHarness;
  let invoiceDependencies: () => InvoiceDependencies;
  let voidInvoice: typeof import('../../lambdas/domain/invoicing/invoices.ts').voidInvoice;

  beforeAll(async () => {
    harness = await startWorkflowHarness({ retryDelayMs: 5 });
    // Imported only after the harness has set the environment, as the Lambda would read it.
    const adapters = await import('../../lambdas/adapters/dependencies.ts');
    ({ voidInvoice } = await import('../../lambdas/domain/invoicing/invoices.ts'));
    invoiceDependencies = () => ({
      invoices: adapters.invoiceStore(),
      workOrders: adapters.workOrderStore(),
      directory: adapters.directoryStore(),
      pricing: adapters.pricingStore(),
      agreements: adapters.agreementCoverage(),
      workflow: adapters.workflow(),
      events: adapters.eventPublisher(),
      clock: adapters.clock,
      ids: adapters.ids,
      reportFailure: (message, error) => {
        throw new Error(`${message}: ${String(error)}`);
      },
    });
  });
  afterAll(() => harness.stop());

  /** A job worked and signed off, its draft invoice generated, the execution waiting for approval. */
  async function aSignedOffJob(): Promise<Job> {
    const tenant = await aTenant(entities);
    const office: Actor = { tenantId: tenant.tenantId, id: 'dispatcher-dana', role: 'dispatcher' };
    const technician: Actor = {
      tenantId: tenant.tenantId,
      id: 'technician-alex',
      role: 'technician',
      technicianId: tenant.technicianId,
    };
    const { workOrderId: id } = await harness.create(office, {
      customerId: tenant.customerId,
      locationId: tenant.locationId,
      serviceTypeId: tenant.serviceTypeId,
      description: 'AC is blowing warm air upstairs',
      priority: 'urgent',
    });
    const job = { tenant, id, office, technician };
    const steps: [Actor, Parameters<WorkflowHarness['act']>[2], string][] = [
      [office, { action: 'schedule', start: tomorrowAt(14) }, 'AwaitDispatch'],
      [office, { action: 'dispatch', technicianId: tenant.technicianId }, 'AwaitFieldWork'],
      [technician, { action: 'startTravel' }, 'AwaitFieldWork'],
      [technician, { action: 'arrive' }, 'AwaitFieldWork'],
      [technician, { action: 'startWork' }, 'AwaitFieldWork'],
    ];
    await harness.waitingIn(tenant.tenantId, id, 'AwaitScheduling');
    for (const [actor, input, waitsIn] of steps) {
      await harness.act(actor, id, input);
      await harness.waitingIn(tenant.tenantId, id, waitsIn);
    }
    await harness.addNote(technician, id, 'Replaced the failed capacitor; cooling restored');
    await harness.recordLabor(technician, id, 90);
    const summaryHash = await harness.summaryHash(technician, id);
    await harness.act(technician, id, {
      action: 'complete',
      signature: { signerName: 'Pat Doe', summaryHash },
    });
    await harness.waitingIn(tenant.tenantId, id, 'AwaitApproval');
    return job;
  }

  it('when the invoice is voided while it is being sent, the execution comes back to await the replacement’s approval, then goes on to payment', async () => {
    // Arrange: approved, and SendInvoice held before it runs.
    const job = await aSignedOffJob();
    const voidedId = (await harness.stored(job.tenant.tenantId, job.id))?.invoiceId ?? '';
    const sending = harness.hold('WorkflowStepsFunction', job.id);
    await harness.act(job.office, job.id, { action: 'approveInvoice' });
    await sending.reached;

    // Act
    const { replacement } = await voidInvoice(invoiceDependencies(), job.office, voidedId, 'Wrong rate');
    sending.release();
    const waiting = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitApproval');

    // Assert
    expect(waiting).toMatchObject({ status: 'completed', invoiceId: replacement.invoice.invoiceId });
    const total = serviceTypeTerms.laborRatePerHour * 1.5 + serviceTypeTerms.tripCharge;
    await harness.act(job.office, job.id, { action: 'approveInvoice' });
    await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitPayment');
    await harness.act(job.office, job.id, { action: 'recordPayment', amount: total, method: 'check' });
    const record = await harness.finished(job.id);
    expect(record.status).toBe('SUCCEEDED');
    expect(harness.statesEntered(job.id).slice(-7)).toEqual([
      'AwaitApproval',
      'SendInvoice',
      'AwaitPayment',
      'AwaitApproval',
      'SendInvoice',
      'AwaitPayment',
      'CloseWorkOrder',
    ]);
  });

  it('when a sent invoice awaiting payment is voided, the stored token takes the execution back to approval', async () => {
    // Arrange
    const job = await aSignedOffJob();
    const voidedId = (await harness.stored(job.tenant.tenantId, job.id))?.invoiceId ?? '';
    await harness.act(job.office, job.id, { action: 'approveInvoice' });
    await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitPayment');

    // Act
    const { voided, replacement } = await voidInvoice(
      invoiceDependencies(),
      job.office,
      voidedId,
      'Duplicate',
    );
    const waiting = await harness.waitingIn(job.tenant.tenantId, job.id, 'AwaitApproval');

    // Assert
    expect(voided.invoice).toMatchObject({ status: 'void', replacedBy: replacement.invoice.invoiceId });
    expect(waiting).toMatchObject({ status: 'completed', invoiceId: replacement.invoice.invoiceId });
    expect(harness.eventsPublished(job.id)).toContain('WorkOrder.InvoiceVoided');
  });
});
