import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type WorkOrderBody = Record<string, unknown> & { id: string; customerId: string; locationId?: string };
type PageBody = { items: { id: string }[]; nextCursor?: string };
type Problem = { errors?: { field: string }[] };

async function customersOf(tenantId: string) {
  return (await entities.customer.query.byName({ tenantId }).go({ pages: 'all' })).data;
}

const aNewCustomerOrder = (customer: Record<string, unknown>) => ({
  customer: { name: 'Casey Jordan', ...customer },
  serviceLocation: { address: { line1: '3 Pine St', city: 'Boston', postalCode: '02108' } },
  description: 'Water heater leaking',
});

describe('work orders for inline customers', () => {
  it('when the same phone is written five ways and the email in other case, every work order finds one customer', async () => {
    const tenant = await aTenant(entities);
    const office = await tokenFor('dispatcher', tenant.tenantId);
    const forms = ['(617) 555-0101', '617.555.0101', '+1 617 555 0101', '6175550101', '+16175550101'];

    const customerIds: string[] = [];
    for (const phone of forms) {
      const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
        token: office,
        body: aNewCustomerOrder({ phone }),
      });
      expect(created.status, phone).toBe(201);
      customerIds.push(created.body.customerId);
    }
    const byEmail = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: office,
      body: aNewCustomerOrder({ email: 'Casey.Jordan@Example.com' }),
    });
    const byEmailOtherCase = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: office,
      body: aNewCustomerOrder({ email: 'CASEY.JORDAN@example.COM' }),
    });

    expect(new Set(customerIds).size).toBe(1);
    expect(byEmailOtherCase.body.customerId).toBe(byEmail.body.customerId);
    // The fixture's two customers, the one found by phone and the one found by email.
    expect(await customersOf(tenant.tenantId)).toHaveLength(4);
  });

  it('when ten work orders with the same new phone are created at once, they make one customer', async () => {
    const tenant = await aTenant(entities);
    const office = await tokenFor('dispatcher', tenant.tenantId);

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        api<WorkOrderBody>('POST', '/v1/work-orders', {
          token: office,
          body: aNewCustomerOrder({ name: `Caller ${index}`, phone: '(617) 555-0177' }),
        }),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    const customerIds = new Set(responses.map((response) => response.body.customerId));
    expect(customerIds.size).toBe(1);
    const stored = (await customersOf(tenant.tenantId)).filter(
      (customer) => customer.phone === '+16175550177',
    );
    expect(stored.map((customer) => customer.customerId)).toEqual([...customerIds]);
    // Each new service location belongs to the customer the work order names.
    for (const response of responses) {
      const location = await entities.location
        .get({ tenantId: tenant.tenantId, locationId: response.body.locationId ?? '' })
        .go();
      expect(location.data?.customerId).toBe(response.body.customerId);
    }
  });
});

describe('work orders with equipment, warranty and scope', () => {
  let tenant: TenantFixture;
  let office: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    office = await tokenFor('dispatcher', tenant.tenantId);
  });

  const addEquipment = async (locationId: string, body: Record<string, unknown>) =>
    (await api<{ id: string }>('POST', `/v1/locations/${locationId}/equipment`, { token: office, body })).body
      .id;

  it('when the equipment is under warranty, the work order flags it covered, in the view and when read back', async () => {
    const equipmentId = await addEquipment(tenant.locationId, {
      type: 'AC condenser',
      warrantyEndsOn: '2099-12-31',
    });

    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: office,
      body: aWorkOrderRequest(tenant, {
        equipmentId,
        specialInstructions: 'Call before arriving',
        estimatedScope: 'Replace the capacitor, maybe the fan motor',
      }),
    });
    const read = await api<WorkOrderBody>('GET', `/v1/work-orders/${created.body.id}`, { token: office });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      equipmentId,
      warranty: { covered: true, equipmentId, endsOn: '2099-12-31' },
      specialInstructions: 'Call before arriving',
      estimatedScope: 'Replace the capacitor, maybe the fan motor',
      priority: 'urgent',
      description: 'AC is blowing warm air upstairs',
    });
    expect(read.body).toMatchObject({
      warranty: created.body.warranty,
      specialInstructions: 'Call before arriving',
      estimatedScope: 'Replace the capacitor, maybe the fan motor',
    });
  });

  it('when the warranty has ended, the work order flags it not covered', async () => {
    const equipmentId = await addEquipment(tenant.locationId, {
      type: 'Furnace',
      installedOn: '2015-01-10',
      warrantyMonths: 60,
    });

    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: office,
      body: aWorkOrderRequest(tenant, { equipmentId }),
    });

    expect(created.body.warranty).toEqual({ covered: false, equipmentId, endsOn: '2020-01-09' });
  });

  it('when the equipment is not at the work order location, it answers 400 naming body.equipmentId', async () => {
    const elsewhere = await addEquipment(tenant.otherCustomersLocationId, { type: 'Boiler' });

    const wrongLocation = await api<Problem>('POST', '/v1/work-orders', {
      token: office,
      body: aWorkOrderRequest(tenant, { equipmentId: elsewhere }),
    });
    const noLocation = await api<Problem>('POST', '/v1/work-orders', {
      token: office,
      body: aWorkOrderRequest(tenant, { locationId: undefined, equipmentId: elsewhere }),
    });
    const tooLong = await api<Problem>('POST', '/v1/work-orders', {
      token: office,
      body: aWorkOrderRequest(tenant, { estimatedScope: 'x'.repeat(2001) }),
    });

    expect(wrongLocation.status).toBe(400);
    expect(wrongLocation.body.errors?.map((error) => error.field)).toEqual(['body.equipmentId']);
    expect(noLocation.status).toBe(400);
    expect(noLocation.body.errors?.map((error) => error.field)).toEqual(['body.equipmentId']);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors?.map((error) => error.field)).toEqual(['body.estimatedScope']);
  });

  it('when the OpenAPI document is read, the work order shows its warranty flag', async () => {
    const document = await api<{
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>('GET', '/openapi.json');

    const workOrder = document.body.components.schemas.WorkOrder;
    expect(workOrder?.properties).toHaveProperty('warranty');
    expect(workOrder?.properties).toHaveProperty('specialInstructions');
    expect(document.body.components.schemas.CreateWorkOrder?.properties).toHaveProperty('equipmentId');
  });
});

describe('history by customer and by location', () => {
  it('when work orders exist, the customer and location histories list theirs, newest first, a page at a time', async () => {
    const tenant = await aTenant(entities);
    const office = await tokenFor('dispatcher', tenant.tenantId);
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push(
        (
          await api<WorkOrderBody>('POST', '/v1/work-orders', {
            token: office,
            body: aWorkOrderRequest(tenant),
          })
        ).body.id,
      );
    }

    const customerFirst = await api<PageBody>(
      'GET',
      `/v1/customers/${tenant.customerId}/work-orders?limit=2`,
      {
        token: office,
      },
    );
    const customerRest = await api<PageBody>(
      'GET',
      `/v1/customers/${tenant.customerId}/work-orders?limit=2&cursor=${encodeURIComponent(customerFirst.body.nextCursor ?? '')}`,
      { token: office },
    );
    const atLocation = await api<PageBody>('GET', `/v1/locations/${tenant.locationId}/work-orders`, {
      token: office,
    });
    const atOtherLocation = await api<PageBody>(
      'GET',
      `/v1/locations/${tenant.otherCustomersLocationId}/work-orders`,
      {
        token: office,
      },
    );

    expect(customerFirst.status).toBe(200);
    expect([...customerFirst.body.items, ...customerRest.body.items].map((item) => item.id)).toEqual(
      [...ids].reverse(),
    );
    expect(atLocation.body.items.map((item) => item.id)).toEqual([...ids].reverse());
    expect(atOtherLocation.body.items).toEqual([]);
  });
});
