import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoJobDurationStore } from '../../lambdas/adapters/dynamodb/job-duration-store.ts';
import { DynamoWorkOrderStore } from '../../lambdas/adapters/dynamodb/work-order-store.ts';
import type { JobDuration } from '../../lambdas/domain/catalog/job-duration.ts';
import type { WorkOrder } from '../../lambdas/domain/work-orders/work-order.ts';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { tableEntities } from '../helpers/local-platform.ts';

const entities = tableEntities();
const workOrders = new DynamoWorkOrderStore(entities);
const durations = new DynamoJobDurationStore(entities);

const aJob = (tenant: TenantFixture, overrides: Partial<JobDuration> = {}): JobDuration => ({
  tenantId: tenant.tenantId,
  serviceTypeId: tenant.serviceTypeId,
  workOrderId: `wo_${ulid()}`,
  completedAt: '2025-03-14T15:00:00.000Z',
  minutes: 60,
  ...overrides,
});

/** The completion of a work order in progress, as `performAction` hands it to the store. */
function completionOf(before: WorkOrder, jobDuration: JobDuration) {
  const at = jobDuration.completedAt;
  const after: WorkOrder = { ...before, status: 'completed', completedAt: at, version: before.version + 1 };
  const event = {
    tenantId: before.tenantId,
    workOrderId: before.workOrderId,
    eventId: `evt_${ulid()}`,
    action: 'complete',
    actorId: 'test',
    actorRole: 'technician',
    at,
    changes: { status: { before: before.status, after: 'completed' } },
  };
  return { before, after, event, jobDuration };
}

describe('job durations in the table', () => {
  let tenant: TenantFixture;

  beforeAll(async () => {
    tenant = await aTenant(entities);
  });

  it('when a completion carries a duration, it is written in the same transaction and read back', async () => {
    // Arrange
    const before = await aStoredWorkOrder(entities, tenant, { status: 'in_progress' });
    const job = aJob(tenant, {
      workOrderId: before.workOrderId,
      minutes: 110,
      technicianId: tenant.technicianId,
    });

    // Act
    const applied = await workOrders.apply(completionOf(before, job));

    // Assert
    expect(applied).toBe(true);
    expect(await durations.recent(tenant.tenantId, tenant.serviceTypeId, 50)).toContainEqual(job);
  });

  it('when the same completion is applied again, it is refused and the job still counts once', async () => {
    // Arrange
    const before = await aStoredWorkOrder(entities, tenant, {
      status: 'in_progress',
      serviceTypeId: `svc_${ulid()}`,
    });
    const job = aJob(tenant, { serviceTypeId: before.serviceTypeId ?? '', workOrderId: before.workOrderId });
    const change = completionOf(before, job);
    await workOrders.apply(change);

    // Act
    const again = await workOrders.apply({ ...change, event: { ...change.event, eventId: `evt_${ulid()}` } });

    // Assert
    expect(again).toBe(false);
    expect(await durations.recent(tenant.tenantId, job.serviceTypeId, 50)).toEqual([job]);
  });

  it('when the completion loses to a concurrent change, no duration is written', async () => {
    // Arrange
    const before = await aStoredWorkOrder(entities, tenant, {
      status: 'in_progress',
      serviceTypeId: `svc_${ulid()}`,
    });
    const job = aJob(tenant, { serviceTypeId: before.serviceTypeId ?? '', workOrderId: before.workOrderId });

    // Act: the version read is no longer the stored one
    const applied = await workOrders.apply(completionOf({ ...before, version: before.version + 5 }, job));

    // Assert
    expect(applied).toBe(false);
    expect(await durations.recent(tenant.tenantId, job.serviceTypeId, 50)).toEqual([]);
  });

  it("when read, it gives the type's most recent jobs newest first, at most the limit, and nobody else's", async () => {
    // Arrange
    const serviceTypeId = `svc_${ulid()}`;
    const other = await aTenant(entities);
    const days = ['2025-03-01', '2025-03-05', '2025-03-03', '2025-03-04', '2025-03-02'];
    const jobs = days.map((day, index) =>
      aJob(tenant, { serviceTypeId, completedAt: `${day}T15:00:00.000Z`, minutes: 30 + index }),
    );
    await Promise.all([
      ...jobs.map((job) => entities.jobDuration.put(job).go()),
      entities.jobDuration.put(aJob(tenant, { completedAt: '2025-03-06T15:00:00.000Z' })).go(),
      entities.jobDuration.put(aJob(other, { serviceTypeId, completedAt: '2025-03-07T15:00:00.000Z' })).go(),
    ]);

    // Act
    const recent = await durations.recent(tenant.tenantId, serviceTypeId, 3);

    // Assert
    expect(recent.map((job) => job.completedAt.slice(0, 10))).toEqual([
      '2025-03-05',
      '2025-03-04',
      '2025-03-03',
    ]);
    expect(recent.every((job) => job.tenantId === tenant.tenantId)).toBe(true);
  });

  it("when the service type's own item shares the partition, only job durations are read", async () => {
    // Arrange: the fixture's service type item is keyed by the same tenant and service type
    const job = aJob(tenant, { completedAt: '2030-01-01T00:00:00.000Z' });
    await entities.jobDuration.put(job).go();

    // Act
    const recent = await durations.recent(tenant.tenantId, tenant.serviceTypeId, 50);

    // Assert
    expect(recent[0]).toEqual(job);
    expect(recent.every((item) => typeof item.minutes === 'number')).toBe(true);
  });
});
