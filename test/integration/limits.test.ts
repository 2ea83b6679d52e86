import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoTenantWriteLimiter } from '../../lambdas/adapters/dynamodb/tenant-write-limiter.ts';
import { maxSignatureImageBytes } from '../../lambdas/domain/execution/sign-off.ts';
import { maxPhotoBytes, photoContentTypes } from '../../lambdas/domain/work-orders/photos.ts';
import { type RouteDefinition, routes } from '../../lambdas/handlers/api/routes.ts';
import { maxBodyBytes } from '../../lambdas/shared/http-api.ts';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { type ApiResponse, api, tableEntities, tokenFor } from '../helpers/local-platform.ts';
import { rawClient } from '../helpers/raw-http.ts';
import { reliabilityFigures } from '../helpers/reliability-figures.ts';
import { jsonSchemaOf, shapedValueOf } from '../helpers/schema-arbitraries.ts';

const entities = tableEntities();
const table = routes as readonly RouteDefinition[];

interface Problem {
  title?: string;
  status?: number;
  limit?: number;
  errors?: { field: string }[];
}

const fieldsOf = (response: ApiResponse<unknown> | undefined) =>
  ((response?.body as Problem | undefined)?.errors ?? []).map((error) => error.field);

/** Every list route: a GET whose query takes `limit`, with the most it takes. */
const listRoutes = table.flatMap((route) => {
  const limit = route.request?.query ? jsonSchemaOf(route.request.query).properties?.limit : undefined;
  return route.method === 'GET' && limit?.maximum !== undefined ? [{ route, max: limit.maximum }] : [];
});

const figures = reliabilityFigures('limits', {
  listRoutes: listRoutes.length,
  pageSizeChecks: 0,
  bodySizeChecks: 0,
  uploadChecks: 0,
  writeLimitChecks: 0,
});

/** A path with the tenant's records where it has them (a made-up id of the right kind elsewhere). */
function pathOf(route: RouteDefinition, records: Record<string, string>) {
  const params = route.request?.params ? (jsonSchemaOf(route.request.params).properties ?? {}) : {};
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const prefix = /^\^([a-z]+)_/.exec(params[name]?.pattern ?? '')?.[1] ?? 'x';
    return records[prefix] ?? `${prefix}_${ulid()}`;
  });
}

/** A query the route takes, with `limit` set: the other members from its schema (required ones filled). */
function queryWithLimit(route: RouteDefinition, limit: string, records: Record<string, string>) {
  const schema = route.request?.query;
  if (!schema) return '';
  const pools = Object.fromEntries(Object.entries(records).map(([prefix, id]) => [prefix, [id]]));
  const taken = fc
    .sample(shapedValueOf(jsonSchemaOf(schema), pools, { knownIdsOnly: true }), { numRuns: 200, seed: 7 })
    .map((value) => ({ ...(value as Record<string, unknown>), limit: 1 }))
    .find(
      (value) =>
        schema.safeParse(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]))).success,
    );
  const query = new URLSearchParams(
    Object.entries({ ...(taken ?? {}), limit }).map(([name, value]): [string, string] => [
      name,
      String(value),
    ]),
  );
  return `?${query}`;
}

describe('page-size caps on every list route', () => {
  let token: string;
  let records: Record<string, string>;

  beforeAll(async () => {
    const tenant = await aTenant(entities);
    const workOrder = await aStoredWorkOrder(entities, tenant);
    token = await tokenFor('admin', tenant.tenantId);
    records = {
      wo: workOrder.workOrderId,
      cus: tenant.customerId,
      loc: tenant.locationId,
      tec: tenant.technicianId,
      svc: tenant.serviceTypeId,
    };
  });

  it('when a list is asked for more than its page size, or for none, it answers 400 naming query.limit; at its page size it answers', async () => {
    // Act
    const outcomes = await Promise.all(
      listRoutes.map(async ({ route, max }) => {
        const path = pathOf(route, records);
        const [above, zero, atMax] = await Promise.all(
          [String(max + 1), '0', String(max)].map((limit) =>
            api('GET', `${path}${queryWithLimit(route, limit, records)}`, { token }),
          ),
        );
        return {
          route: `${route.method} ${route.path}`,
          above: [above?.status, fieldsOf(above).includes('query.limit')],
          zero: [zero?.status, fieldsOf(zero).includes('query.limit')],
          atMax: [(atMax?.status ?? 500) < 500, fieldsOf(atMax).includes('query.limit')],
        };
      }),
    );

    // Assert
    figures.pageSizeChecks += outcomes.length * 3;
    expect(listRoutes.length).toBeGreaterThanOrEqual(20);
    expect(outcomes).toEqual(
      listRoutes.map(({ route }) => ({
        route: `${route.method} ${route.path}`,
        above: [400, true],
        zero: [400, true],
        atMax: [true, false],
      })),
    );
  });
});

describe('request body size', () => {
  const client = rawClient(inject('apiUrl'), 4);
  let token: string;

  beforeAll(async () => {
    token = await tokenFor('admin', (await aTenant(entities)).tenantId);
  });

  /** Every route that takes a body: the JSON routes, the webhook and the customer pages' forms. */
  const bodyRoutes = table.filter((route) => route.method !== 'GET');
  const fill = (route: RouteDefinition) =>
    route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      name === 'token' ? 'k1.e30.AAAA' : `wo_${ulid()}`,
    );

  it('when a body is larger than 256 KB, every route refuses it: the API with 413 problem+json, a page with a friendly page', async () => {
    // Arrange
    const oversized = `{"text":"${'x'.repeat(maxBodyBytes)}"}`;

    // Act
    const answers = await Promise.all(
      bodyRoutes.map((route) =>
        client.send({
          method: route.method,
          path: fill(route),
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': route.page ? 'application/x-www-form-urlencoded' : 'application/json',
          },
          body: route.page ? `accessNotes=${'x'.repeat(maxBodyBytes)}` : oversized,
        }),
      ),
    );

    // Assert
    const outcomes = bodyRoutes.map((route, index) => {
      const answer = answers[index];
      const type = answer?.headers['content-type'] ?? '';
      if (route.page)
        return [
          route.path,
          answer && answer.status >= 400 && answer.status < 500,
          type.startsWith('text/html'),
        ];
      const problem = JSON.parse(answer?.text ?? '{}') as Problem;
      return [
        route.path,
        answer?.status === 413 && problem.status === 413,
        type.startsWith('application/problem+json'),
      ];
    });
    figures.bodySizeChecks += outcomes.length;
    expect(outcomes).toEqual(bodyRoutes.map((route) => [route.path, true, true]));
  });

  it('when a body is exactly 256 KB it is read (and judged on its content); one byte more is 413', async () => {
    // Arrange: {"name":"xx…"} of exactly the limit, and one byte longer.
    const ofSize = (size: number) => `{"name":"${'x'.repeat(size - 11)}"}`;

    // Act
    const [atLimit, overLimit] = await Promise.all(
      [ofSize(maxBodyBytes), ofSize(maxBodyBytes + 1)].map((body) =>
        client.send({
          method: 'POST',
          path: '/v1/customers',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        }),
      ),
    );

    // Assert
    figures.bodySizeChecks += 2;
    expect(Buffer.byteLength(ofSize(maxBodyBytes))).toBe(maxBodyBytes);
    expect(atLimit?.status).toBe(400);
    expect((JSON.parse(atLimit?.text ?? '{}') as Problem).errors?.map((error) => error.field)).toContain(
      'body.name',
    );
    expect(overLimit?.status).toBe(413);
  });

  it('when a body is larger than the gateway takes (10 MB), the gateway refuses it with 413 problem+json', async () => {
    // Act
    const answer = await client
      .send({
        method: 'POST',
        path: '/v1/customers',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: Buffer.alloc(10 * 1024 * 1024 + 1, 'x'),
      })
      .catch((error: unknown) => error as Error);

    // Assert: the gateway may answer before it has read it all, and then close the connection.
    figures.bodySizeChecks += 1;
    if (!(answer instanceof Error)) {
      expect(answer.status).toBe(413);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    } else expect(answer.message).toMatch(/EPIPE|ECONNRESET|socket hang up/);
  });
});

describe('upload size and type caps', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let workOrderId: string;
  let inProgressId: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    const [fresh, inProgress] = await Promise.all([
      aStoredWorkOrder(entities, tenant),
      aStoredWorkOrder(entities, tenant, { status: 'in_progress', technicianId: tenant.technicianId }),
    ]);
    workOrderId = fresh.workOrderId;
    inProgressId = inProgress.workOrderId;
  });

  const policyOf = (form: { fields: Record<string, string> }) =>
    (
      JSON.parse(Buffer.from(form.fields.Policy ?? '', 'base64').toString('utf8')) as {
        conditions: unknown[];
      }
    ).conditions;

  const requestPhoto = (body: Record<string, unknown>) =>
    api<{ upload: { fields: Record<string, string>; maxBytes: number } } & Problem & Record<string, unknown>>(
      'POST',
      `/v1/work-orders/${workOrderId}/photos`,
      { token: dispatcher, body },
    );

  it('when a photo of each allowed type is asked for, its form pins the type and at most 10 MB; the largest size declared is taken', async () => {
    // Act
    const answers = await Promise.all(
      photoContentTypes.map((contentType) =>
        requestPhoto({ contentType, stage: 'before', sizeBytes: maxPhotoBytes }),
      ),
    );

    // Assert
    figures.uploadChecks += answers.length;
    expect(answers.map((answer) => answer.status)).toEqual(photoContentTypes.map(() => 201));
    for (const [index, answer] of answers.entries()) {
      expect(answer.body.upload.maxBytes).toBe(maxPhotoBytes);
      expect(policyOf(answer.body.upload)).toEqual(
        expect.arrayContaining([
          ['content-length-range', 1, maxPhotoBytes],
          { 'Content-Type': photoContentTypes[index] },
        ]),
      );
    }
  });

  it('when a photo of another type, of more than 10 MB or of no bytes is asked for, it is 400 naming the field and no form', async () => {
    // Arrange
    const refused: [Record<string, unknown>, string][] = [
      ...['image/gif', 'image/svg+xml', 'text/html', 'application/pdf', 'IMAGE/PNG', ''].map(
        (contentType) =>
          [{ contentType, stage: 'before', sizeBytes: 100 }, 'body.contentType'] as [
            Record<string, unknown>,
            string,
          ],
      ),
      [{ contentType: 'image/png', stage: 'before', sizeBytes: maxPhotoBytes + 1 }, 'body.sizeBytes'],
      [{ contentType: 'image/png', stage: 'before', sizeBytes: 0 }, 'body.sizeBytes'],
      [{ contentType: 'image/png', stage: 'before', sizeBytes: -1 }, 'body.sizeBytes'],
      [{ contentType: 'image/png', stage: 'before', sizeBytes: 1.5 }, 'body.sizeBytes'],
    ];

    // Act
    const answers = await Promise.all(refused.map(([body]) => requestPhoto(body)));

    // Assert
    figures.uploadChecks += answers.length;
    expect(answers.map((answer) => [answer.status, fieldsOf(answer), 'upload' in answer.body])).toEqual(
      refused.map(([, field]) => [400, [field], false]),
    );
  });

  it('when a signature image form is asked for, it pins PNG and at most 256 KB', async () => {
    // Act
    const answer = await api<{ upload: { fields: Record<string, string> } }>(
      'POST',
      `/v1/work-orders/${inProgressId}/signature-upload`,
      { token: dispatcher, body: {} },
    );

    // Assert
    figures.uploadChecks += 1;
    expect(answer.status).toBe(201);
    expect(policyOf(answer.body.upload)).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, maxSignatureImageBytes],
        { 'Content-Type': 'image/png' },
      ]),
    );
  });
});

/** Waits into a fresh minute when this one is nearly over, so a burst stays inside one window. */
async function withinOneMinute() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 8_000) await sleep(left + 50);
}

describe("a tenant's write limit", () => {
  const writesPerMinute = 5;
  let limited: TenantFixture;
  let dispatcher: string;
  let workOrderId: string;

  beforeAll(async () => {
    limited = await aTenant(entities);
    await entities.tenant.patch({ tenantId: limited.tenantId }).set({ limits: { writesPerMinute } }).go();
    dispatcher = await tokenFor('dispatcher', limited.tenantId);
    workOrderId = (await aStoredWorkOrder(entities, limited)).workOrderId;
  });

  const note = (text: string, headers: Record<string, string> = {}) =>
    api<Problem>('POST', `/v1/work-orders/${workOrderId}/notes`, {
      token: dispatcher,
      body: { text },
      headers,
    });

  it('when twenty writes arrive at once, its limit of them gets through and the rest get 429 problem+json with Retry-After; reads, refused requests and other tenants go on', async () => {
    // Arrange
    const other = await aTenant(entities);
    const otherToken = await tokenFor('dispatcher', other.tenantId);
    const otherWorkOrder = await aStoredWorkOrder(entities, other);
    await withinOneMinute();

    // Act
    const invalid = await api<Problem>('POST', `/v1/work-orders/${workOrderId}/notes`, {
      token: dispatcher,
      body: { text: '' },
    });
    const burst = await Promise.all(Array.from({ length: 20 }, (_, index) => note(`Reading ${index + 1}`)));
    const read = await api('GET', `/v1/work-orders/${workOrderId}/notes`, { token: dispatcher });
    const otherTenant = await api('POST', `/v1/work-orders/${otherWorkOrder.workOrderId}/notes`, {
      token: otherToken,
      body: { text: 'Unaffected' },
    });

    // Assert
    figures.writeLimitChecks += burst.length + 3;
    const statuses = burst.map((answer) => answer.status).sort();
    expect(invalid.status).toBe(400);
    expect(statuses).toEqual([...Array(writesPerMinute).fill(201), ...Array(20 - writesPerMinute).fill(429)]);
    const refused = burst.find((answer) => answer.status === 429);
    const retryAfter = Number(refused?.headers.get('retry-after'));
    expect(refused?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused?.body).toMatchObject({ status: 429, title: 'Too many requests', limit: writesPerMinute });
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(read.status).toBe(200);
    expect((read.body as { items: unknown[] }).items).toHaveLength(writesPerMinute);
    expect(otherTenant.status).toBe(201);
  });

  it('when a write refused for the limit carried an Idempotency-Key, the key is not spent: the retry in the next minute runs', async () => {
    // Arrange: the limit is used up in this minute.
    await withinOneMinute();
    const window = new Date(Date.now() - (Date.now() % 60_000)).toISOString().slice(0, 16);
    await Promise.all(Array.from({ length: writesPerMinute }, (_, index) => note(`Filler ${index}`)));
    const key = { 'idempotency-key': `retry-${ulid()}` };

    // Act: refused; then the minute's count is gone, as it is once the minute is over.
    const refused = await note('Retried after the limit', key);
    await entities.tenantWriteWindow.delete({ tenantId: limited.tenantId, window }).go();
    const retried = await note('Retried after the limit', key);

    // Assert
    figures.writeLimitChecks += 2;
    expect(refused.status).toBe(429);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('the write limiter over the table', () => {
  const minuteStart = Date.UTC(2031, 4, 6, 9, 41, 0);

  it("when a tenant has no limit of its own, the platform's applies, and the next minute counts afresh", async () => {
    // Arrange
    const { tenantId } = await aTenant(entities);
    let now = minuteStart + 45_000;
    const limiter = new DynamoTenantWriteLimiter(entities, 3, () => now);

    // Act
    const thisMinute = [];
    for (let write = 0; write < 4; write += 1) thisMinute.push(await limiter.admit(tenantId));
    now = minuteStart + 60_000;
    const nextMinute = await limiter.admit(tenantId);

    // Assert
    figures.writeLimitChecks += thisMinute.length + 1;
    expect(thisMinute).toEqual([
      { admitted: true },
      { admitted: true },
      { admitted: true },
      { admitted: false, limit: 3, retryAfterSeconds: 15 },
    ]);
    expect(nextMinute).toEqual({ admitted: true });
    const { data } = await entities.tenantWriteWindow.get({ tenantId, window: '2031-05-06T09:41' }).go();
    expect(data).toMatchObject({ writes: 3, expiresAt: (minuteStart + 60_000) / 1000 + 120 });
  });

  it("when a tenant has a limit of its own, it replaces the platform's; a limit of 0 counts nothing", async () => {
    // Arrange
    const [own, unlimited] = await Promise.all([aTenant(entities), aTenant(entities)]);
    await entities.tenant
      .patch({ tenantId: own.tenantId })
      .set({ limits: { writesPerMinute: 1 } })
      .go();
    const now = () => minuteStart + 1_000;

    // Act
    const limited = new DynamoTenantWriteLimiter(entities, 100, now);
    const owns = [await limited.admit(own.tenantId), await limited.admit(own.tenantId)];
    const off = new DynamoTenantWriteLimiter(entities, 0, now);
    const free = await Promise.all(Array.from({ length: 20 }, () => off.admit(unlimited.tenantId)));

    // Assert
    figures.writeLimitChecks += owns.length + free.length;
    expect(owns).toEqual([{ admitted: true }, { admitted: false, limit: 1, retryAfterSeconds: 59 }]);
    expect(free.every((admission) => admission.admitted)).toBe(true);
    const { data } = await entities.tenantWriteWindow
      .get({ tenantId: unlimited.tenantId, window: '2031-05-06T09:41' })
      .go();
    expect(data).toBeNull();
  });
});
