import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoLocationHistory } from '../../lambdas/adapters/dynamodb/location-history-store.ts';
import { DynamoWorkOrderStore } from '../../lambdas/adapters/dynamodb/work-order-store.ts';
import type { WorkOrder } from '../../lambdas/domain/work-orders/work-order.ts';
import { aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { tableEntities } from '../helpers/local-platform.ts';

const entities = tableEntities();
const store = new DynamoWorkOrderStore(entities);
const history = new DynamoLocationHistory(entities);

/** A work order written as the create use case leaves it, taken `daysAgo` days ago. */
async function aWorkOrderTaken(
  tenant: TenantFixture,
  locationId: string,
  daysAgo: number,
): Promise<WorkOrder> {
  const at = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  const workOrder: WorkOrder = {
    tenantId: tenant.tenantId,
    workOrderId: `wo_${ulid()}`,
    customerId: tenant.customerId,
    locationId,
    description: `Visit from ${daysAgo} days ago`,
    priority: 'routine',
    status: 'new',
    workflowState: 'Starting',
    workflowStateSince: at,
    createdBy: 'test',
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await store.create({
    workOrder,
    event: {
      tenantId: tenant.tenantId,
      workOrderId: workOrder.workOrderId,
      eventId: `evt_${ulid()}`,
      action: 'created',
      actorId: 'test',
      actorRole: 'dispatcher',
      at,
      changes: {},
    },
  });
  return workOrder;
}

describe('DynamoLocationHistory', () => {
  let tenant: TenantFixture;
  let taken: WorkOrder[];

  beforeAll(async () => {
    tenant = await aTenant(entities);
    taken = [];
    for (const daysAgo of [40, 30, 20, 10])
      taken.push(await aWorkOrderTaken(tenant, tenant.locationId, daysAgo));
    await aWorkOrderTaken(tenant, tenant.otherCustomersLocationId, 25);
  });

  it('when asked for the work orders before one, it answers the location’s earlier ones, newest first, without the unset markers', async () => {
    // Arrange
    const [first, second, third] = taken;
    if (!first || !second || !third) throw new Error('the work orders were not written');

    // Act
    const earlier = await history.workOrdersBefore(tenant.tenantId, tenant.locationId, third, 10);

    // Assert
    expect(earlier.map((workOrder) => workOrder.workOrderId)).toEqual([
      second.workOrderId,
      first.workOrderId,
    ]);
    expect(earlier[0]).not.toHaveProperty('technicianId');
    expect(earlier[0]).not.toHaveProperty('scheduledStart');
  });

  it('when a limit is given, it answers at most that many, the newest', async () => {
    // Arrange
    const latest = taken.at(-1);
    if (!latest) throw new Error('the work orders were not written');

    // Act
    const earlier = await history.workOrdersBefore(tenant.tenantId, tenant.locationId, latest, 2);

    // Assert
    expect(earlier.map((workOrder) => workOrder.description)).toEqual([
      'Visit from 20 days ago',
      'Visit from 30 days ago',
    ]);
  });
});
