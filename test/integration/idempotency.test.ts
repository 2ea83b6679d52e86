import fc from 'fast-check';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '../../lambdas/handlers/api/routes.ts';
import { aStoredWorkOrder, aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { aCrew, type Crew } from '../helpers/crew.ts';
import { aPart, type Page, type StockLevelBody } from '../helpers/inventory.ts';
import {
  type ApiResponse,
  api,
  describeExecution,
  eventually,
  tableEntities,
  tokenFor,
} from '../helpers/local-platform.ts';
import { reliabilityFigures } from '../helpers/reliability-figures.ts';
import { takesJsonBody } from '../helpers/route-fuzz.ts';
import { jsonSchemaOf, shapedValueOf } from '../helpers/schema-arbitraries.ts';
import { itemDifferences, normalizedItems, tenantSnapshot } from '../helpers/tenant-snapshot.ts';

const entities = tableEntities();

/** Requests sent at once with one Idempotency-Key. */
const concurrentRequests = 10;

/** Every POST of the API (the customer pages post forms, the webhook is Stripe's own). */
const postRoutes = (routes as readonly RouteDefinition[]).filter(
  (route) => route.method === 'POST' && !route.page && !route.rawBody,
);

interface Twin {
  tenant: TenantFixture;
  admin: string;
  otherAdmin: string;
  /** What each placeholder of a generated request stands for in this tenant. */
  ids: Record<string, string>;
}

/** A tenant with a new job and one in progress, and two admins (every POST route allows admins). */
async function aTwin(): Promise<Twin> {
  const tenant = await aTenant(entities);
  const [fresh, inProgress] = await Promise.all([
    aStoredWorkOrder(entities, tenant),
    aStoredWorkOrder(entities, tenant, { status: 'in_progress', technicianId: tenant.technicianId }),
  ]);
  const [admin, otherAdmin] = await Promise.all([
    tokenFor('admin', tenant.tenantId),
    tokenFor('admin', tenant.tenantId, { subject: `second-admin-${tenant.tenantId}` }),
  ]);
  return {
    tenant,
    admin,
    otherAdmin,
    ids: {
      '@wo0': fresh.workOrderId,
      '@wo1': inProgress.workOrderId,
      '@cus0': tenant.customerId,
      '@loc0': tenant.locationId,
      '@loc1': tenant.otherCustomersLocationId,
      '@svc0': tenant.serviceTypeId,
      '@tec0': tenant.technicianId,
      '@tec1': tenant.unqualifiedTechnicianId,
    },
  };
}

/** The placeholders requests are generated with, so one request can be sent to two tenants. */
const placeholderPools = {
  wo: ['@wo0', '@wo1'],
  cus: ['@cus0'],
  loc: ['@loc0', '@loc1'],
  svc: ['@svc0'],
  tec: ['@tec0', '@tec1'],
};

const inTenant = (text: string, twin: Twin) =>
  Object.entries(twin.ids).reduce((result, [placeholder, id]) => result.replaceAll(placeholder, id), text);

interface TwinRequest {
  path: string;
  body: string;
  /** Another request under the same key: another body, or another path. */
  other: { path: string; body: string };
}

/**
 * A request the route takes (valid path, query and body), with placeholders for the tenant's
 * records: path ids name the tenant's own records (work orders alternate between the new one
 * and the one in progress), ids of kinds the tenant has none of are made up.
 */
function requestFor(route: RouteDefinition, index: number, twin: Twin): TwinRequest | undefined {
  if (!route.request?.body) return undefined;
  const shape = jsonSchemaOf(route.request.body);
  const candidates = fc.sample(shapedValueOf(shape, placeholderPools, { knownIdsOnly: true }), {
    numRuns: 300,
    seed: index + 1,
  });
  const valid = [
    ...new Set(
      candidates
        .map((body) => JSON.stringify(body ?? {}))
        .filter((text) => takesJsonBody(route.request?.body as never, JSON.parse(inTenant(text, twin)))),
    ),
  ];
  const [body, otherBody] = valid;
  if (body === undefined) return undefined;
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  const params = route.request?.params ? (jsonSchemaOf(route.request.params).properties ?? {}) : {};
  const pathWith = (pick: (prefix: string) => string) =>
    names.reduce((path, name) => {
      const prefix = /^\^([a-z]+)_/.exec(params[name]?.pattern ?? '')?.[1] ?? 'x';
      return path.replace(`{${name}}`, pick(prefix));
    }, route.path);
  const path = pathWith((prefix) =>
    prefix === 'wo' ? `@wo${index % 2}` : (placeholderPools[prefix as 'cus']?.[0] ?? `${prefix}_${ulid()}`),
  );
  if (names.length > 0)
    return { path, body, other: { path: pathWith((prefix) => `${prefix}_${ulid()}`), body } };
  return otherBody === undefined ? undefined : { path, body, other: { path, body: otherBody } };
}

const post = (twin: Twin, path: string, body: string, key: string, token = twin.admin) =>
  api('POST', inTenant(path, twin), {
    token,
    rawBody: inTenant(body, twin),
    headers: { 'idempotency-key': key },
  });

const replayed = (response: ApiResponse) => response.headers.get('idempotent-replayed') === 'true';
const answerOf = (response: ApiResponse) => `${response.status} ${JSON.stringify(response.body)}`;

const figures = reliabilityFigures('idempotency', {
  postRoutes: postRoutes.length,
  concurrentRequests: 0,
  requests: 0,
  wrongAnswers: 0,
  extraItems: 0,
});

describe('Idempotency-Key on every POST route', () => {
  let batch: Twin;
  let single: Twin;

  beforeAll(async () => {
    // Arrange: two tenants set up alike; one gets ten requests where the other gets one.
    [batch, single] = await Promise.all([aTwin(), aTwin()]);
  });

  it('when ten identical POSTs with one key arrive at once, every POST route answers them all alike and acts once; another request under the key is 422; another user or tenant using the key makes a request of their own', async () => {
    // Arrange
    const failures: string[] = [];
    let sent = 0;
    let routesCovered = 0;

    for (const [index, route] of postRoutes.entries()) {
      const request = requestFor(route, index, batch);
      if (!request) {
        failures.push(`${route.operationId}: no request the route takes could be made`);
        continue;
      }
      const key = `idem-${route.operationId}-${index}`;
      const name = `${route.method} ${route.path}`;

      // Act
      const [answers, alone] = await Promise.all([
        Promise.all(
          Array.from({ length: concurrentRequests }, () => post(batch, request.path, request.body, key)),
        ),
        post(single, request.path, request.body, key),
      ]);
      const otherRequest = await post(batch, request.other.path, request.other.body, key);
      const [otherUser, otherUserAlone] = await Promise.all([
        post(batch, request.path, request.body, key, batch.otherAdmin),
        post(single, request.path, request.body, key, single.otherAdmin),
      ]);
      sent += concurrentRequests + 4;
      routesCovered += 1;

      // Assert
      const distinct = new Set(answers.map(answerOf));
      const ran = answers.filter((answer) => !replayed(answer)).length;
      if (answers.some((answer) => answer.status >= 500)) failures.push(`${name}: ${[...distinct][0]}`);
      if (distinct.size !== 1) failures.push(`${name}: ${distinct.size} different answers`);
      if (ran !== 1) failures.push(`${name}: ran ${ran} times`);
      if (replayed(alone)) failures.push(`${name}: another tenant's key was replayed`);
      if (alone.status !== answers[0]?.status) {
        failures.push(`${name}: ${alone.status} in one tenant, ${answers[0]?.status} in its twin`);
      }
      const reuse = otherRequest.body as { errors?: { field: string }[] };
      if (otherRequest.status !== 422 || reuse.errors?.[0]?.field !== 'header.idempotency-key') {
        failures.push(`${name}: another request under the key got ${answerOf(otherRequest)}`);
      }
      for (const own of [otherUser, otherUserAlone]) {
        if (replayed(own) || own.status === 422 || own.status >= 500) {
          failures.push(`${name}: another user's key collided: ${answerOf(own)}`);
        }
      }
    }

    // Assert: ten at once left the tenant as one did (the workflows they started included).
    const settled = await eventually(async () => {
      const [left, right] = await Promise.all([
        tenantSnapshot(batch.tenant.tenantId),
        tenantSnapshot(single.tenant.tenantId),
      ]);
      const differences = itemDifferences(normalizedItems(left), normalizedItems(right));
      return differences.onlyLeft.length + differences.onlyRight.length === 0 ? differences : undefined;
    }, 15_000).catch(async () => {
      const [left, right] = await Promise.all([
        tenantSnapshot(batch.tenant.tenantId),
        tenantSnapshot(single.tenant.tenantId),
      ]);
      return itemDifferences(normalizedItems(left), normalizedItems(right));
    });
    figures.concurrentRequests += routesCovered * concurrentRequests;
    figures.requests += sent;
    figures.wrongAnswers += failures.length;
    figures.extraItems += settled.onlyLeft.length + settled.onlyRight.length;
    expect(failures).toEqual([]);
    expect(settled).toEqual({ onlyLeft: [], onlyRight: [] });
    expect(routesCovered).toBe(postRoutes.length);
    expect(sent).toBe(postRoutes.length * (concurrentRequests + 4));
  }, 120_000);
});

describe('Idempotency-Key, counted', () => {
  let crew: Crew;

  beforeAll(async () => {
    crew = await aCrew(entities);
  });

  /** Ten copies of one request with one key, sent at once. */
  const tenAtOnce = <T>(send: () => Promise<ApiResponse<T>>) => {
    figures.concurrentRequests += concurrentRequests;
    figures.requests += concurrentRequests;
    return Promise.all(Array.from({ length: concurrentRequests }, send));
  };

  const sameAnswer = (answers: ApiResponse[]) => new Set(answers.map(answerOf)).size;
  const executed = (answers: ApiResponse[]) => answers.filter((answer) => !replayed(answer)).length;

  it('when ten requests to create a customer carry one key, there is one customer and all ten get it', async () => {
    // Arrange
    const name = `Jamie Quinn ${ulid()}`;
    const headers = { 'idempotency-key': `customer-${ulid()}` };

    // Act
    const answers = await tenAtOnce(() =>
      api<{ id: string }>('POST', '/v1/customers', {
        token: crew.dispatcher,
        body: { name, phone: '+1 312 555 0142' },
        headers,
      }),
    );
    const found = await api<{ items: { id: string }[] }>(
      'GET',
      `/v1/customers?name=${encodeURIComponent(name)}`,
      { token: crew.dispatcher },
    );

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual(Array(concurrentRequests).fill(201));
    expect(sameAnswer(answers)).toBe(1);
    expect(executed(answers)).toBe(1);
    expect(found.body.items.map((customer) => customer.id)).toEqual([answers[0]?.body.id]);
  });

  it('when ten requests to create a work order carry one key, one work order is created with one execution', async () => {
    // Arrange
    const description = `No heat upstairs ${ulid()}`;
    const headers = { 'idempotency-key': `call-${ulid()}` };

    // Act
    const answers = await tenAtOnce(() =>
      api<{ id: string }>('POST', '/v1/work-orders', {
        token: crew.dispatcher,
        body: aWorkOrderRequest(crew.tenant, { description }),
        headers,
      }),
    );
    const listed = await api<{ items: { id: string; description: string }[] }>(
      'GET',
      `/v1/work-orders?customerId=${crew.tenant.customerId}&limit=100`,
      { token: crew.dispatcher },
    );
    const execution = await describeExecution(answers[0]?.body.id ?? '');

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual(Array(concurrentRequests).fill(201));
    expect(sameAnswer(answers)).toBe(1);
    expect(listed.body.items.filter((order) => order.description === description)).toHaveLength(1);
    expect(execution.name).toBe(answers[0]?.body.id);
  });

  it('when ten notes carry one key, the work order has one note more', async () => {
    // Arrange
    const workOrder = await aStoredWorkOrder(entities, crew.tenant);
    const headers = { 'idempotency-key': `note-${ulid()}` };

    // Act
    const answers = await tenAtOnce(() =>
      api('POST', `/v1/work-orders/${workOrder.workOrderId}/notes`, {
        token: crew.dispatcher,
        body: { text: 'Dog in the yard, use the side gate' },
        headers,
      }),
    );
    const notes = await api<{ items: unknown[] }>('GET', `/v1/work-orders/${workOrder.workOrderId}/notes`, {
      token: crew.dispatcher,
    });

    // Assert
    expect(sameAnswer(answers)).toBe(1);
    expect(answers[0]?.status).toBe(201);
    expect(notes.body.items).toHaveLength(1);
  });

  it('when ten stock receipts carry one key, the stock rises once', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: `FLT-${ulid().slice(-6)}` });
    const headers = { 'idempotency-key': `receipt-${ulid()}` };

    // Act
    const answers = await tenAtOnce(() =>
      api('POST', '/v1/inventory/adjustments', {
        token: crew.dispatcher,
        body: { partId, locationId: 'warehouse:main', quantity: 5, reason: 'Delivery', type: 'receipt' },
        headers,
      }),
    );
    const stock = await api<Page<StockLevelBody>>('GET', `/v1/inventory/stock?partId=${partId}`, {
      token: crew.dispatcher,
    });

    // Assert
    expect(sameAnswer(answers)).toBe(1);
    expect(answers[0]?.status).toBe(201);
    expect(stock.body.items.find((level) => level.locationId === 'warehouse:main')?.onHand).toBe(5);
  });

  it('when keys differ only in case, they are two keys', async () => {
    // Arrange
    const workOrder = await aStoredWorkOrder(entities, crew.tenant);
    const note = (key: string, text: string) =>
      api('POST', `/v1/work-orders/${workOrder.workOrderId}/notes`, {
        token: crew.dispatcher,
        body: { text },
        headers: { 'idempotency-key': key },
      });

    // Act
    const upper = await note('Visit-Note-7', 'Bring the long ladder');
    const lower = await note('visit-note-7', 'Customer prefers mornings');

    // Assert
    expect([upper.status, lower.status]).toEqual([201, 201]);
    expect(replayed(lower)).toBe(false);
  });

  it('when another user of the tenant, or another tenant, sends the same key with the same request, it is a request of their own', async () => {
    // Arrange
    const [workOrder, neighbour] = await Promise.all([
      aStoredWorkOrder(entities, crew.tenant),
      aCrew(entities),
    ]);
    const theirs = await aStoredWorkOrder(entities, neighbour.tenant);
    const secondDispatcher = await tokenFor('dispatcher', crew.tenant.tenantId, {
      subject: `dispatcher-2-${ulid()}`,
    });
    const key = `shared-${ulid()}`;
    const note = (token: string, workOrderId: string) =>
      api('POST', `/v1/work-orders/${workOrderId}/notes`, {
        token,
        body: { text: 'Gate code changed to 4321' },
        headers: { 'idempotency-key': key },
      });

    // Act
    const first = await note(crew.dispatcher, workOrder.workOrderId);
    const colleague = await note(secondDispatcher, workOrder.workOrderId);
    const otherTenant = await note(neighbour.dispatcher, theirs.workOrderId);
    const notes = await api<{ items: unknown[] }>('GET', `/v1/work-orders/${workOrder.workOrderId}/notes`, {
      token: crew.dispatcher,
    });

    // Assert
    expect([first.status, colleague.status, otherTenant.status]).toEqual([201, 201, 201]);
    expect([first, colleague, otherTenant].map(replayed)).toEqual([false, false, false]);
    expect(notes.body.items).toHaveLength(2);
  });
});
