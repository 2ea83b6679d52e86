import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCustomerDirectory } from '../../lambdas/adapters/dynamodb/customer-store.ts';
import { DynamoJobDurationStore } from '../../lambdas/adapters/dynamodb/job-duration-store.ts';
import { DynamoLocationHistory } from '../../lambdas/adapters/dynamodb/location-history-store.ts';
import { DynamoPhotoStore } from '../../lambdas/adapters/dynamodb/photo-store.ts';
import { DynamoPricingStore } from '../../lambdas/adapters/dynamodb/pricing-store.ts';
import { DynamoWorkOrderStore } from '../../lambdas/adapters/dynamodb/work-order-store.ts';
import { StraightLineTravel } from '../../lambdas/adapters/travel/straight-line-travel.ts';
import { ulidGenerator } from '../../lambdas/adapters/ulid-generator.ts';
import { invoiceIdFor } from '../../lambdas/domain/invoicing/invoice.ts';
import { runWorkflowStep, type StepDependencies } from '../../lambdas/domain/work-orders/workflow-steps.ts';
import { systemClock } from '../../lambdas/ports/clock.ts';
import { aStoredWorkOrder, aTenant, serviceTypeTerms, type TenantFixture } from '../fixtures/tenants.ts';
import { tableEntities } from '../helpers/local-platform.ts';
import { InMemoryAgreementCoverage } from '../unit/fakes/in-memory-agreement-coverage.ts';
import { InMemoryBlobStore } from '../unit/fakes/in-memory-blob-store.ts';
import { InMemoryNotificationLog } from '../unit/fakes/in-memory-notification-log.ts';
import { RecordingEventPublisher } from '../unit/fakes/recording-event-publisher.ts';
import { RecordingNotifier } from '../unit/fakes/recording-notifier.ts';
import { RecordingPayments } from '../unit/fakes/recording-payments.ts';
import { RecordingScheduler } from '../unit/fakes/recording-scheduler.ts';
import { RecordingWorkflow } from '../unit/fakes/recording-workflow.ts';

const entities = tableEntities();

/**
 * GenerateInvoice over DynamoDB Local with the real stores: what it reads and writes is the
 * table's; the delivery ports it does not touch are recording doubles.
 */
describe('GenerateInvoice against the table', () => {
  let tenant: TenantFixture;
  let dependencies: StepDependencies;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dependencies = {
      workOrders: new DynamoWorkOrderStore(entities),
      directory: new DynamoCustomerDirectory(entities),
      locationHistory: new DynamoLocationHistory(entities),
      photos: new DynamoPhotoStore(entities),
      workflow: new RecordingWorkflow(),
      events: new RecordingEventPublisher(),
      notifier: new RecordingNotifier(),
      clock: systemClock,
      ids: ulidGenerator,
      reportFailure: () => {},
      travelTimes: (settings) => new StraightLineTravel(settings.averageSpeedKmh),
      jobDurations: new DynamoJobDurationStore(entities),
      blobs: new InMemoryBlobStore(),
      payments: new RecordingPayments(),
      pricing: new DynamoPricingStore(entities),
      agreements: new InMemoryAgreementCoverage(),
      scheduler: new RecordingScheduler(),
      notifications: new InMemoryNotificationLog(),
    };
  });

  /** A completed work order with 90 minutes of labor recorded by the fixture's technician. */
  async function aCompletedWorkOrder() {
    const workOrder = await aStoredWorkOrder(entities, tenant, {
      status: 'completed',
      serviceTypeId: tenant.serviceTypeId,
      technicianId: tenant.technicianId,
    });
    await entities.laborEntry
      .put({
        tenantId: tenant.tenantId,
        workOrderId: workOrder.workOrderId,
        laborId: `lab_${ulid()}`,
        technicianId: tenant.technicianId,
        minutes: 90,
        recordedBy: 'test',
        at: new Date().toISOString(),
      })
      .go();
    return workOrder;
  }

  const recorded = async (workOrderId: string) => {
    const key = { tenantId: tenant.tenantId, workOrderId };
    const [invoices, events] = await Promise.all([
      entities.invoice.query.byWorkOrder(key).go({ pages: 'all' }),
      entities.workOrderEvent.query.byWorkOrder(key).go({ pages: 'all' }),
    ]);
    return { invoices: invoices.data, actions: events.data.map((event) => event.action) };
  };

  it('when four runs price the same completed work at once, one invoice is written, linked and audited once', async () => {
    // Arrange
    const { workOrderId } = await aCompletedWorkOrder();
    const run = () => runWorkflowStep(dependencies, 'GenerateInvoice', tenant.tenantId, workOrderId);

    // Act
    const results = await Promise.all([run(), run(), run(), run()]);

    // Assert: 90 min × 12 000 / 60 + the 7 500 trip.
    const total = serviceTypeTerms.laborRatePerHour * 1.5 + serviceTypeTerms.tripCharge;
    const invoiceId = invoiceIdFor(workOrderId);
    expect(results).toEqual(Array(4).fill({ invoiceId, total }));
    const { invoices, actions } = await recorded(workOrderId);
    expect(invoices.map((invoice) => [invoice.invoiceId, invoice.status, invoice.total])).toEqual([
      [invoiceId, 'draft', total],
    ]);
    expect(actions.filter((action) => action === 'invoice_generated')).toHaveLength(1);
    expect(actions.filter((action) => action === 'invoice_linked')).toHaveLength(1);
    expect((await dependencies.workOrders.get(tenant.tenantId, workOrderId))?.invoiceId).toBe(invoiceId);
  });

  it('when run again after the draft was changed, it leaves the invoice as the office left it', async () => {
    // Arrange
    const { workOrderId } = await aCompletedWorkOrder();
    await runWorkflowStep(dependencies, 'GenerateInvoice', tenant.tenantId, workOrderId);
    const invoiceId = invoiceIdFor(workOrderId);
    await entities.invoice
      .patch({ tenantId: tenant.tenantId, workOrderId, invoiceId })
      .set({ notes: 'Kept', version: 2 })
      .go();

    // Act
    const result = await runWorkflowStep(dependencies, 'GenerateInvoice', tenant.tenantId, workOrderId);

    // Assert
    const { invoices, actions } = await recorded(workOrderId);
    expect(result).toMatchObject({ invoiceId });
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ notes: 'Kept', version: 2 });
    expect(actions.filter((action) => action === 'invoice_generated')).toHaveLength(1);
  });
});
