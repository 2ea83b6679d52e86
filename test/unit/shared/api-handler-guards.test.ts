import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '../../../lambdas/handlers/api/routes.ts';
import { apiFunctions, type FunctionAccess } from '../../../lambdas/handlers/functions.ts';
import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from '../../../lambdas/ports/idempotency-store.ts';
import type { TenantWriteLimiter, WriteAdmission } from '../../../lambdas/ports/tenant-write-limiter.ts';
import { apiHandler, type Implementations, ownRoutesByKey } from '../../../lambdas/shared/http-api.ts';
import { lambdaContext } from '../../../lib/local/gateway.ts';

const workOrderId = 'wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3';

/** An API request as API Gateway hands it over, from a dispatcher of ten_acme unless said otherwise. */
function anEvent(
  routeKey: string,
  options: { body?: string; headers?: Record<string, string>; subject?: string } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [, path = ''] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path.replace('{id}', workOrderId),
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    pathParameters: { id: workOrderId },
    isBase64Encoded: false,
    ...(options.body === undefined ? {} : { body: options.body }),
    requestContext: {
      requestId: 'req-1',
      authorizer: {
        jwt: {
          claims: {
            sub: options.subject ?? 'user-1',
            'custom:tenantId': 'ten_acme',
            'cognito:groups': '[dispatcher]',
          },
          scopes: [],
        },
      },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** Admits writes until `limit`, recording each tenant it was asked about. */
class CountingLimiter implements TenantWriteLimiter {
  readonly asked: string[] = [];
  constructor(private readonly limit: number) {}
  async admit(tenantId: string): Promise<WriteAdmission> {
    this.asked.push(tenantId);
    return this.asked.length <= this.limit
      ? { admitted: true }
      : { admitted: false, limit: this.limit, retryAfterSeconds: 17 };
  }
}

/** Remembers the keys claimed; every claim succeeds. */
class RecordingIdempotency implements IdempotencyStore {
  readonly claimed: string[] = [];
  async claim(_tenantId: string, key: string): Promise<IdempotencyClaim> {
    this.claimed.push(key);
    return { outcome: 'claimed' };
  }
  async complete(_tenantId: string, _key: string, _response: StoredResponse): Promise<void> {}
  async release(): Promise<void> {}
}

function handlerOf<F extends 'workOrderActions' | 'workOrders'>(functionName: F, limit = 100) {
  const calls: string[] = [];
  const implementations = new Proxy(
    {},
    {
      get: (_, operationId: string) => async () => {
        calls.push(operationId);
        return { status: 201, body: { ok: true } };
      },
    },
  ) as Implementations<F>;
  const limiter = new CountingLimiter(limit);
  const idempotency = new RecordingIdempotency();
  const handler = apiHandler(functionName, routes, implementations as never, {
    idempotency: () => idempotency,
    writeLimiter: () => limiter,
  });
  const call = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) =>
    (await handler(event, lambdaContext(functionName))) as APIGatewayProxyStructuredResultV2;
  return { call, calls, limiter, idempotency };
}

const addNote = 'POST /v1/work-orders/{id}/notes';

describe('apiHandler guards', () => {
  it('when the tenant is at its write limit, a write gets 429 problem+json with Retry-After, runs nothing and claims no key', async () => {
    // Arrange
    const { call, calls, idempotency } = handlerOf('workOrderActions', 0);

    // Act
    const response = await call(
      anEvent(addNote, { body: '{"text":"Gate is open"}', headers: { 'idempotency-key': 'k-1' } }),
    );

    // Assert
    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'retry-after': '17',
    });
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({
      status: 429,
      title: 'Too many requests',
      limit: 0,
    });
    expect(calls).toEqual([]);
    expect(idempotency.claimed).toEqual([]);
  });

  it('when a write is refused as invalid, or a request only reads, nothing is counted against the limit', async () => {
    // Arrange
    const writes = handlerOf('workOrderActions');
    const reads = handlerOf('workOrders');

    // Act
    const invalid = await writes.call(anEvent(addNote, { body: '{"text":""}' }));
    const read = await reads.call(anEvent('GET /v1/work-orders/{id}'));

    // Assert
    expect(invalid.statusCode).toBe(400);
    expect(read.statusCode).toBe(201);
    expect([...writes.limiter.asked, ...reads.limiter.asked]).toEqual([]);
  });

  it('when two users of a tenant send the same Idempotency-Key, each claims a key of their own', async () => {
    // Arrange
    const { call, idempotency, limiter } = handlerOf('workOrderActions');
    const request = { body: '{"text":"Gate is open"}', headers: { 'idempotency-key': 'same-key' } };

    // Act
    await call(anEvent(addNote, request));
    await call(anEvent(addNote, { ...request, subject: 'user-2' }));

    // Assert
    expect(idempotency.claimed).toEqual(['same-key user-1', 'same-key user-2']);
    expect(limiter.asked).toEqual(['ten_acme', 'ten_acme']);
  });

  it.each([
    ['a body of JSON null', 'null', ['body']],
    [
      'a member the route does not know',
      '{"text":"Hi","tenantId":"ten_other","status":"paid"}',
      ['body.tenantId', 'body.status'],
    ],
    ['a number too small to store', '{"text":"Hi","extra":5e-324}', ['body.extra', 'body.extra']],
    ['a number too large to store', '{"text":1e999}', ['body.text', 'body.text']],
  ])('when a write has %s, it is 400 naming the fields and runs nothing', async (_, body, fields) => {
    // Arrange
    const { call, calls } = handlerOf('workOrderActions');

    // Act
    const response = await call(anEvent(addNote, { body }));

    // Assert
    expect(response.statusCode).toBe(400);
    const problem = JSON.parse(response.body ?? '{}') as { errors: { field: string }[] };
    expect(problem.errors.map((error) => error.field).sort()).toEqual([...fields].sort());
    expect(calls).toEqual([]);
  });

  it('when a route writes for a signed-in user, its function may write the table, where the tenant’s writes are counted', () => {
    // Arrange
    const writeRoutes = (routes as readonly RouteDefinition[]).filter(
      (route) => route.method !== 'GET' && route.auth !== 'public',
    );

    // Act
    const readOnly = writeRoutes.filter(
      (route) => (apiFunctions[route.function].access as FunctionAccess).table !== 'readWrite',
    );

    // Assert
    expect(writeRoutes.length).toBeGreaterThan(50);
    expect(readOnly.map((route) => route.operationId)).toEqual([]);
  });
});

describe('route tables of the API functions', () => {
  it('when a function implements an operation whose route module it was not given, it fails at init naming the operation', () => {
    // Arrange
    const onlyTheWorkOrderRoutes = routes.filter((route) => route.function === 'workOrders');

    // Act
    const build = () =>
      ownRoutesByKey('workOrderActions', onlyTheWorkOrderRoutes, ['addNote', 'scheduleWorkOrder']);

    // Assert
    expect(build).toThrow('workOrderActions: no route given for addNote, scheduleWorkOrder');
  });

  it('when a function is given other functions’ routes too, it answers only its own', async () => {
    // Arrange
    const { call, calls } = handlerOf('workOrders');
    const event = {
      routeKey: addNote,
      rawPath: '/v1/work-orders/wo_1/notes',
      headers: {},
      requestContext: { requestId: 'r1' },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

    // Act
    const response = await call(event);

    // Assert
    expect(response.statusCode).toBe(404);
    expect(calls).toEqual([]);
  });

  it('when every API handler module is loaded, each finds the route of every operation it implements', async () => {
    // Arrange
    const entries = Object.values(apiFunctions).map((definition) => definition.entry);

    // Act
    const loaded = await Promise.all(
      entries.map(
        async (entry) =>
          (await import(/* @vite-ignore */ new URL(`../../../${entry}`, import.meta.url).href)) as {
            handler?: unknown;
          },
      ),
    );

    // Assert
    expect(loaded.map((module) => typeof module.handler)).toEqual(entries.map(() => 'function'));
  });
});
