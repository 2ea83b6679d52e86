import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoWorkOrderStore } from '../../lambdas/adapters/dynamodb/work-order-store.ts';
import type { WorkOrder } from '../../lambdas/domain/work-orders/work-order.ts';
import { aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface Preview {
  items: {
    workOrderId: string;
    status: string;
    relation: string;
    summary?: string;
    technician?: { technicianId: string; name?: string };
    matchedTerms: string[];
  }[];
  errors?: { field: string }[];
}

/** A past work order written through the store, as the lifecycle leaves it. */
async function aPastWorkOrder(tenant: TenantFixture, overrides: Partial<WorkOrder>): Promise<WorkOrder> {
  const at = overrides.createdAt ?? new Date().toISOString();
  const workOrder: WorkOrder = {
    tenantId: tenant.tenantId,
    workOrderId: `wo_${ulid()}`,
    customerId: tenant.customerId,
    locationId: tenant.locationId,
    description: 'Furnace makes a banging noise',
    priority: 'routine',
    status: 'completed',
    workflowState: 'Closed',
    workflowStateSince: at,
    createdBy: 'test',
    version: 7,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
  await new DynamoWorkOrderStore(entities).create({
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

describe('history preview', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let rentalId: string;
  let similarHere: WorkOrder;
  let similarElsewhere: WorkOrder;
  let unrelatedHere: WorkOrder;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    rentalId = `loc_${ulid()}`;
    const at = new Date().toISOString();
    await entities.location
      .put({
        tenantId: tenant.tenantId,
        locationId: rentalId,
        customerId: tenant.customerId,
        address: { line1: '9 Elm St', city: 'Springfield', postalCode: '01101', country: 'US' },
        createdAt: at,
        updatedAt: at,
      })
      .go();
    similarHere = await aPastWorkOrder(tenant, {
      description: 'Kitchen sink drain clogged, water backing up',
      summary: 'Snaked the kitchen line, cleared grease',
      technicianId: tenant.technicianId,
      createdAt: '2025-01-10T15:00:00.000Z',
      completedAt: '2025-01-10T17:00:00.000Z',
    });
    similarElsewhere = await aPastWorkOrder(tenant, {
      locationId: rentalId,
      description: 'Bathroom drain clogged',
      createdAt: '2025-06-01T15:00:00.000Z',
    });
    unrelatedHere = await aPastWorkOrder(tenant, {
      description: 'AC blowing warm air upstairs',
      createdAt: '2025-08-01T15:00:00.000Z',
    });
  });

  it('when a similar problem was fixed at the same location, it comes first, then similar elsewhere, then the rest', async () => {
    // Act
    const response = await api<Preview>('POST', '/v1/work-orders/history-preview', {
      token: dispatcher,
      body: {
        customerId: tenant.customerId,
        locationId: tenant.locationId,
        description: 'The kitchen drain is clogged again',
      },
    });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.items.map((item) => item.workOrderId)).toEqual([
      similarHere.workOrderId,
      similarElsewhere.workOrderId,
      unrelatedHere.workOrderId,
    ]);
    expect(response.body.items[0]).toMatchObject({
      status: 'completed',
      relation: 'same_location',
      summary: 'Snaked the kitchen line, cleared grease',
      technician: { technicianId: tenant.technicianId, name: 'Alex Rivera' },
      matchedTerms: expect.arrayContaining(['kitchen', 'drain', 'clog']),
    });
    expect(response.body.items[1]?.relation).toBe('same_customer');
  });

  it("when the customer or location is another tenant's, it answers 404", async () => {
    const other = await aTenant(entities);
    const otherDispatcher = await tokenFor('dispatcher', other.tenantId);

    const response = await api<Preview>('POST', '/v1/work-orders/history-preview', {
      token: otherDispatcher,
      body: { customerId: tenant.customerId, description: 'clogged drain' },
    });
    const foreignLocation = await api<Preview>('POST', '/v1/work-orders/history-preview', {
      token: otherDispatcher,
      body: { customerId: other.customerId, locationId: tenant.locationId, description: 'clogged drain' },
    });

    expect(response.status).toBe(404);
    expect(foreignLocation.status).toBe(404);
  });

  it("when the location is another customer's or the input is bad, it answers 400 naming the field", async () => {
    const wrongCustomer = await api<Preview>('POST', '/v1/work-orders/history-preview', {
      token: dispatcher,
      body: {
        customerId: tenant.customerId,
        locationId: tenant.otherCustomersLocationId,
        description: 'clogged drain',
      },
    });
    const badId = await api<Preview>('POST', '/v1/work-orders/history-preview', {
      token: dispatcher,
      body: { customerId: 'nope', description: 'clogged drain' },
    });

    expect(wrongCustomer.status).toBe(400);
    expect(wrongCustomer.body.errors?.[0]?.field).toBe('body.locationId');
    expect(badId.status).toBe(400);
    expect(badId.body.errors?.[0]?.field).toBe('body.customerId');
  });

  it('when a technician asks, it answers 403', async () => {
    const technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });

    const response = await api('POST', '/v1/work-orders/history-preview', {
      token: technician,
      body: { customerId: tenant.customerId, description: 'clogged drain' },
    });

    expect(response.status).toBe(403);
  });
});
