import { beforeAll, describe, expect, it } from 'vitest';
import { workOrderStatuses } from '../../lambdas/adapters/dynamodb/models.ts';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, describeExecution, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

/** Every work order of a tenant, through the status index (one Query per status). */
async function workOrdersOf(tenantId: string) {
  const pages = await Promise.all(
    workOrderStatuses.map((status) =>
      entities.workOrder.query.byStatus({ tenantId, status }).go({ pages: 'all' }),
    ),
  );
  return pages.flatMap((page) => page.data);
}

async function customersOf(tenantId: string) {
  return (await entities.customer.query.byName({ tenantId }).go({ pages: 'all' })).data;
}

type WorkOrderBody = {
  id: string;
  status: string;
  workflow: { state: string; executionName: string };
  [key: string]: unknown;
};

describe('work orders API', () => {
  let tenant: TenantFixture;
  let dispatcher: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
  });

  it('when the office creates a work order, it can read it back with its status and location header', async () => {
    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant),
    });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'new',
      priority: 'urgent',
      customerId: tenant.customerId,
      locationId: tenant.locationId,
      serviceTypeId: tenant.serviceTypeId,
      accessNotes: 'Gate code 1234',
      version: 1,
    });
    expect(created.body.id).toMatch(/^wo_[0-9A-Z]{26}$/);
    expect(created.headers.get('location')).toBe(`/v1/work-orders/${created.body.id}`);
    expect(created.body).not.toHaveProperty('tenantId');

    const read = await api<WorkOrderBody>('GET', `/v1/work-orders/${created.body.id}`, { token: dispatcher });
    expect(read.status).toBe(200);
    // The workflow enriches the work order meanwhile (duration, skills), so compare what the office entered.
    const entered = [
      'id',
      'status',
      'priority',
      'description',
      'customerId',
      'locationId',
      'serviceTypeId',
      'accessNotes',
      'createdAt',
      'createdBy',
    ];
    const pick = (body: Record<string, unknown>) =>
      Object.fromEntries(entered.map((name) => [name, body[name]]));
    expect(pick(read.body)).toEqual(pick(created.body));
    expect(read.body.allowedActions).toEqual(['schedule', 'cancel', 'hold']);
  });

  it('when a work order is created, its execution exists and waits in AwaitScheduling', async () => {
    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant),
    });

    const waiting = await eventually(async () => {
      const read = await api<WorkOrderBody>('GET', `/v1/work-orders/${created.body.id}`, {
        token: dispatcher,
      });
      return read.body.workflow.state === 'AwaitScheduling' ? read.body : undefined;
    });
    const execution = await describeExecution(created.body.id);
    const stored = await entities.workOrder
      .get({ tenantId: tenant.tenantId, workOrderId: created.body.id })
      .go();

    expect(waiting.workflow.executionName).toBe(created.body.id);
    expect(execution.status).toBe('RUNNING');
    expect(execution.name).toBe(created.body.id);
    expect(JSON.parse(execution.input ?? '{}')).toEqual({
      tenantId: tenant.tenantId,
      workOrderId: created.body.id,
    });
    expect(stored.data?.taskToken).toEqual(expect.any(String));
    expect(waiting).not.toHaveProperty('taskToken');
  });

  it('when the customer is new, it is created with a normalized phone and email in the same write', async () => {
    const fresh = await aTenant(entities);
    const token = await tokenFor('admin', fresh.tenantId);
    const body = {
      customer: { name: 'Ana Lima', phone: '(312) 555-0199', email: 'Ana.Lima@Example.COM' },
      serviceLocation: {
        address: { line1: '9 Oak Ave', city: 'Chicago', postalCode: '60601' },
        accessNotes: 'Dog in yard',
      },
      description: 'Kitchen sink drains slowly',
    };

    const created = await api<WorkOrderBody & { customerId: string; locationId: string }>(
      'POST',
      '/v1/work-orders',
      { token, body },
    );

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ priority: 'routine', accessNotes: 'Dog in yard' });
    const customer = await entities.customer
      .get({ tenantId: fresh.tenantId, customerId: created.body.customerId })
      .go();
    expect(customer.data).toMatchObject({
      name: 'Ana Lima',
      phone: '+13125550199',
      email: 'ana.lima@example.com',
    });
    const location = await entities.location
      .get({ tenantId: fresh.tenantId, locationId: created.body.locationId })
      .go();
    expect(location.data).toMatchObject({ customerId: created.body.customerId, address: { country: 'US' } });
  });

  it('when there is no token or a bad one, it answers 401 and writes nothing', async () => {
    const fresh = await aTenant(entities);
    const valid = await tokenFor('dispatcher', fresh.tenantId);
    const [header, payload, signature] = valid.split('.');
    const forged = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    forged['cognito:groups'] = ['admin'];
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    const expired = await tokenFor('dispatcher', fresh.tenantId, { expiresIn: '-1m' });
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;

    for (const token of [undefined, 'not-a-jwt', tampered, expired, unsigned]) {
      const response = await api('POST', '/v1/work-orders', {
        ...(token ? { token } : {}),
        body: aWorkOrderRequest(fresh),
      });
      expect(response.status, String(token)).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await api('GET', `/v1/work-orders/wo_${'0'.repeat(26)}`)).status).toBe(401);
    expect(await workOrdersOf(fresh.tenantId)).toHaveLength(0);
  });

  it('when another tenant asks for a work order, it is not found, as if it did not exist', async () => {
    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant),
    });
    const other = await aTenant(entities);
    const otherDispatcher = await tokenFor('admin', other.tenantId);

    const response = await api('GET', `/v1/work-orders/${created.body.id}`, { token: otherDispatcher });
    const missing = await api('GET', `/v1/work-orders/wo_${'1'.repeat(26)}`, { token: otherDispatcher });

    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      ...missing.body,
      detail: expect.any(String),
      id: created.body.id,
      instance: expect.any(String),
    });
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it("when another tenant names this tenant's customer, it is refused as unknown and nothing is written", async () => {
    const other = await aTenant(entities);
    const token = await tokenFor('dispatcher', other.tenantId);

    const response = await api('POST', '/v1/work-orders', {
      token,
      body: aWorkOrderRequest(tenant, { locationId: undefined, serviceTypeId: undefined }),
    });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'body.customerId', message: 'no such customer' }]);
    expect(await workOrdersOf(other.tenantId)).toHaveLength(0);
  });

  it('when a technician tries to create a work order, it is forbidden', async () => {
    const technician = await tokenFor('technician', tenant.tenantId);

    const response = await api('POST', '/v1/work-orders', {
      token: technician,
      body: aWorkOrderRequest(tenant),
    });

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ status: 403, title: 'Forbidden' });
  });

  it.each([
    ['a missing description', { description: undefined }, 'body.description'],
    ['an empty description', { description: '   ' }, 'body.description'],
    ['an unknown priority', { priority: 'whenever' }, 'body.priority'],
    ['a malformed customer id', { customerId: 'customer-1' }, 'body.customerId'],
    [
      'both a customer id and a new customer',
      { customer: { name: 'X', phone: '3125550100' } },
      'body.customerId',
    ],
    ['an unknown field', { status: 'paid' }, 'body.status'],
    ['an unknown service type', { serviceTypeId: `svc_${'2'.repeat(26)}` }, 'body.serviceTypeId'],
    ["another customer's location", { locationId: 'OTHER' }, 'body.locationId'],
    [
      'an invalid phone for a new customer',
      { customerId: undefined, locationId: undefined, customer: { name: 'Al', phone: '12345' } },
      'body.customer.phone',
    ],
  ])('when the body has %s, it answers 400 naming %s and writes nothing', async (_case, overrides, field) => {
    const fresh = await aTenant(entities);
    const token = await tokenFor('dispatcher', fresh.tenantId);
    const resolved = { ...overrides } as Record<string, unknown>;
    if (resolved.locationId === 'OTHER') resolved.locationId = fresh.otherCustomersLocationId;

    const response = await api<{ errors: { field: string }[] }>('POST', '/v1/work-orders', {
      token,
      body: aWorkOrderRequest(fresh, resolved),
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors.map((error) => error.field)).toContain(field);
    expect(await workOrdersOf(fresh.tenantId)).toHaveLength(0);
    expect(await customersOf(fresh.tenantId)).toHaveLength(2);
  });

  it('when the body is not JSON, is not declared JSON or is too large, it answers 4xx problem+json', async () => {
    const notJson = await api('POST', '/v1/work-orders', { token: dispatcher, rawBody: '{"description":' });
    const wrongType = await api('POST', '/v1/work-orders', {
      token: dispatcher,
      rawBody: JSON.stringify(aWorkOrderRequest(tenant)),
      headers: { 'content-type': 'text/plain' },
    });
    const tooLarge = await api('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant, { description: 'x'.repeat(300 * 1024) }),
    });
    const badId = await api('GET', '/v1/work-orders/not-an-id', { token: dispatcher });

    expect([notJson.status, wrongType.status, tooLarge.status, badId.status]).toEqual([400, 415, 413, 400]);
    expect(notJson.body.errors).toEqual([{ field: 'body', message: 'not valid JSON' }]);
    expect(badId.body.errors).toEqual([expect.objectContaining({ field: 'path.id' })]);
  });

  it('when the same Idempotency-Key is sent twice, it creates one work order and answers the same', async () => {
    const fresh = await aTenant(entities);
    const token = await tokenFor('dispatcher', fresh.tenantId);
    const headers = { 'idempotency-key': 'call-2026-11-30-0001' };
    const body = aWorkOrderRequest(fresh);

    const first = await api('POST', '/v1/work-orders', { token, body, headers });
    const second = await api('POST', '/v1/work-orders', { token, body: { ...body }, headers });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await workOrdersOf(fresh.tenantId)).toHaveLength(1);
  });

  it('when identical requests with one Idempotency-Key arrive at once, one work order is made and all get its answer', async () => {
    const fresh = await aTenant(entities);
    const token = await tokenFor('dispatcher', fresh.tenantId);
    const headers = { 'idempotency-key': 'burst-1' };

    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        api('POST', '/v1/work-orders', { token, body: aWorkOrderRequest(fresh), headers }),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    expect(await workOrdersOf(fresh.tenantId)).toHaveLength(1);
  });

  it('when an Idempotency-Key is reused with another body, it answers 422 and writes nothing more', async () => {
    const fresh = await aTenant(entities);
    const token = await tokenFor('dispatcher', fresh.tenantId);
    const headers = { 'idempotency-key': 'reused-key' };

    await api('POST', '/v1/work-orders', { token, body: aWorkOrderRequest(fresh), headers });
    const reused = await api('POST', '/v1/work-orders', {
      token,
      body: aWorkOrderRequest(fresh, { description: 'Another job' }),
      headers,
    });

    expect(reused.status).toBe(422);
    expect(reused.body.errors).toEqual([expect.objectContaining({ field: 'header.idempotency-key' })]);
    expect(await workOrdersOf(fresh.tenantId)).toHaveLength(1);
  });

  it('when two tenants use the same Idempotency-Key, each gets its own work order', async () => {
    const [first, second] = await Promise.all([aTenant(entities), aTenant(entities)]);
    const headers = { 'idempotency-key': 'same-key-for-both' };

    const a = await api('POST', '/v1/work-orders', {
      token: await tokenFor('dispatcher', first.tenantId),
      body: aWorkOrderRequest(first),
      headers,
    });
    const b = await api('POST', '/v1/work-orders', {
      token: await tokenFor('dispatcher', second.tenantId),
      body: aWorkOrderRequest(second),
      headers,
    });

    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('when a work order is created, its first audit event records who created it and what was set', async () => {
    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant),
    });

    const events = await entities.workOrderEvent.query
      .byWorkOrder({ tenantId: tenant.tenantId, workOrderId: created.body.id })
      .go();

    // The workflow's own events (enrichment) may follow at once; the first is the creation.
    expect(events.data.filter((event) => event.action === 'created')).toHaveLength(1);
    expect(events.data[0]).toMatchObject({
      action: 'created',
      actorId: `local-dispatcher-${tenant.tenantId}`,
      actorRole: 'dispatcher',
      changes: { status: { after: 'new' }, description: { after: 'AC is blowing warm air upstairs' } },
    });
  });
});

describe('public routes', () => {
  it('when /health is asked without a token, it answers ok', async () => {
    const response = await api('GET', '/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('when /openapi.json is asked, it documents every route of the route table with its security', async () => {
    const { routes } = await import('../../lambdas/handlers/api/routes.ts');

    const response = await api<{
      openapi: string;
      paths: Record<string, Record<string, { security: unknown[] }>>;
    }>('GET', '/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = response.body.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation?.security).toEqual(route.auth === 'public' ? [] : [{ bearer: [] }]);
    }
  });

  it('when a path matches no route, it answers 404 problem+json', async () => {
    const response = await api('GET', '/v1/nothing-here');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
