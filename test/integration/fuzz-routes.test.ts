import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RouteDefinition, routes } from '../../lambdas/handlers/api/routes.ts';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';
import { exchangeBytes, type RawResponse, rawClient } from '../helpers/raw-http.ts';
import { reliabilityFigures } from '../helpers/reliability-figures.ts';
import { edgeCasesOf, type FuzzCase, type FuzzTenant, fuzzCasesOf, judge } from '../helpers/route-fuzz.ts';
import { snapshotChanges, type TenantSnapshot, tenantSnapshot } from '../helpers/tenant-snapshot.ts';

const entities = tableEntities();

/** Samples per route: with 142 routes, about 3,300 requests (a write that would do what it says is dropped), sent 8 at a time. */
const casesPerRoute = 24;
const concurrency = 8;
/** Requests with edge values per write route, on a tenant of their own that they may change. */
const edgeCasesPerRoute = 8;
/** A fixed seed keeps the run repeatable; FUZZ_SEED explores other cases. */
const seed = Number(process.env.FUZZ_SEED ?? 20_260_412);

async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await run(items[index] as T);
      }
    }),
  );
  return results;
}

const describeCase = (fuzz: FuzzCase, answer: RawResponse | Error) => ({
  route: `${fuzz.route.method} ${fuzz.route.path}`,
  request: {
    ...fuzz.request,
    headers: Object.fromEntries(
      Object.entries(fuzz.request.headers ?? {}).map(([name, value]) => [
        name,
        name === 'authorization' ? '…' : value.slice(0, 60),
      ]),
    ),
    body: fuzz.request.body?.slice(0, 300),
    path: fuzz.request.path.slice(0, 300),
  },
  answer:
    answer instanceof Error ? answer.message : { status: answer.status, body: answer.text.slice(0, 300) },
});

describe('fuzzing every route of the route table', () => {
  let tenant: TenantFixture;
  let fuzzTenant: FuzzTenant;
  let before: TenantSnapshot;
  const client = rawClient(inject('apiUrl'), concurrency);
  const figures = reliabilityFigures('fuzz-routes', {
    routes: routes.length,
    malformedCases: 0,
    edgeCases: 0,
    transportCases: 0,
    wrongAnswers: 0,
    itemsWritten: 0,
  });

  beforeAll(async () => {
    // Arrange: a tenant of its own with a new job and one in progress, a link to each page,
    // and cursors of other lists and of the demo tenant's.
    tenant = await aTenant(entities);
    // Thousands of requests in seconds: this tenant may make more changes a minute than any other.
    await entities.tenant
      .patch({ tenantId: tenant.tenantId })
      .set({ limits: { writesPerMinute: 100_000 } })
      .go();
    const [admin, demoAdmin] = await Promise.all([
      tokenFor('admin', tenant.tenantId),
      tokenFor('admin', 'ten_demo'),
    ]);
    const [booked, inProgress] = await Promise.all([
      aStoredWorkOrder(entities, tenant),
      aStoredWorkOrder(entities, tenant, { status: 'in_progress', technicianId: tenant.technicianId }),
    ]);
    const link = async (workOrderId: string, purpose: string) => {
      const issued = await api<{ url: string }>('POST', `/v1/work-orders/${workOrderId}/links`, {
        token: admin,
        body: { purpose },
      });
      expect(issued.status).toBe(201);
      return issued.body.url.slice(issued.body.url.lastIndexOf('/') + 1);
    };
    const cursorOf = async (token: string, path: string) =>
      (await api<{ nextCursor?: string }>('GET', path, { token })).body.nextCursor;
    const [viewToken, signToken, ...cursors] = await Promise.all([
      link(booked.workOrderId, 'view'),
      link(inProgress.workOrderId, 'sign'),
      cursorOf(admin, '/v1/customers?limit=1'),
      cursorOf(demoAdmin, '/v1/customers?limit=1'),
      cursorOf(demoAdmin, '/v1/parts?limit=1'),
      cursorOf(demoAdmin, '/v1/technicians?limit=1'),
    ]);
    fuzzTenant = {
      token: admin,
      pools: {
        wo: [booked.workOrderId, inProgress.workOrderId],
        cus: [tenant.customerId],
        loc: [tenant.locationId, tenant.otherCustomersLocationId],
        svc: [tenant.serviceTypeId],
        tec: [tenant.technicianId, tenant.unqualifiedTechnicianId],
      },
      linkTokens: { '/pages/appointment/': viewToken, '/pages/sign-off/': signToken },
      foreignCursors: cursors.filter((cursor): cursor is string => cursor !== undefined),
    };
    before = await tenantSnapshot(tenant.tenantId);
  });

  afterAll(() => client.close());

  it('when thousands of malformed requests reach every route, none gets a 5xx, each refusal is a problem or a friendly page, and nothing is written', async () => {
    // Arrange
    const cases = (routes as readonly RouteDefinition[]).flatMap((route, index) =>
      fc
        .sample(fuzzCasesOf(route, fuzzTenant), { numRuns: casesPerRoute, seed: seed + index })
        .filter((fuzz): fuzz is FuzzCase => fuzz !== undefined),
    );

    // Act
    const answers = await inBatches(cases, concurrency, (fuzz) =>
      client.send(fuzz.request).catch((error: unknown) => error as Error),
    );
    const after = await tenantSnapshot(tenant.tenantId);

    // Assert
    const failures = cases.flatMap((fuzz, index) => {
      const answer = answers[index] as RawResponse | Error;
      const wrong = answer instanceof Error ? `no answer: ${answer.message}` : judge(fuzz, answer);
      return wrong ? [{ wrong, ...describeCase(fuzz, answer) }] : [];
    });
    const written = snapshotChanges(before, after);
    figures.malformedCases = cases.length;
    figures.wrongAnswers += failures.length;
    figures.itemsWritten += written.added.length + written.removed.length + written.changed.length;
    expect(cases.length).toBeGreaterThan(3_000);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(written).toEqual({ added: [], removed: [], changed: [] });
  }, 120_000);

  it('when requests the routes take carry edge values (the longest text, control characters, lone surrogates, the bounds, -0, the smallest and largest numbers), every write route answers 2xx or 4xx, never 5xx', async () => {
    // Arrange: a tenant of its own, since these requests may change it.
    const edge = await aTenant(entities);
    const [admin, booked, inProgress] = await Promise.all([
      tokenFor('admin', edge.tenantId),
      aStoredWorkOrder(entities, edge),
      aStoredWorkOrder(entities, edge, { status: 'in_progress', technicianId: edge.technicianId }),
    ]);
    const edgeTenant: FuzzTenant = {
      token: admin,
      pools: {
        wo: [booked.workOrderId, inProgress.workOrderId],
        cus: [edge.customerId],
        loc: [edge.locationId],
        svc: [edge.serviceTypeId],
        tec: [edge.technicianId],
      },
      linkTokens: {},
      foreignCursors: [],
    };
    const writeRoutes = (routes as readonly RouteDefinition[]).filter(
      (route) => route.method !== 'GET' && !route.page && !route.rawBody,
    );
    const cases = writeRoutes.flatMap((route, index) =>
      fc
        .sample(edgeCasesOf(route, edgeTenant), { numRuns: edgeCasesPerRoute, seed: seed + index })
        .filter((fuzz): fuzz is FuzzCase => fuzz !== undefined),
    );

    // Act
    const answers = await inBatches(cases, concurrency, (fuzz) =>
      client.send(fuzz.request).catch((error: unknown) => error as Error),
    );

    // Assert
    const failures = cases.flatMap((fuzz, index) => {
      const answer = answers[index] as RawResponse | Error;
      const wrong = answer instanceof Error ? `no answer: ${answer.message}` : judge(fuzz, answer);
      return wrong ? [{ wrong, ...describeCase(fuzz, answer) }] : [];
    });
    figures.edgeCases = cases.length;
    figures.wrongAnswers += failures.length;
    expect(cases.length).toBeGreaterThan(400);
    expect(failures.slice(0, 10)).toEqual([]);
  }, 60_000);

  it('when a request is not HTTP a server can read (a Content-Length that lies, huge headers, broken framing), it is refused or dropped, never answered 5xx, and nothing is written', async () => {
    // Arrange
    const start = await tenantSnapshot(tenant.tenantId);
    const json = JSON.stringify({ name: 'Pat Doe', phone: '+13125550199' });
    const head = (requestLine: string, headers: string[]) =>
      [
        requestLine,
        'Host: localhost',
        `Authorization: Bearer ${fuzzTenant.token}`,
        ...headers,
        'Connection: close',
      ]
        .join('\r\n')
        .concat('\r\n\r\n');
    const malformed: [string, string, { hangUp?: boolean }?][] = [
      [
        'a Content-Length shorter than the body',
        `${head('POST /v1/customers HTTP/1.1', ['Content-Type: application/json', 'Content-Length: 10'])}${json}`,
      ],
      [
        'a Content-Length longer than the body, then the client gives up',
        `${head('POST /v1/customers HTTP/1.1', ['Content-Type: application/json', 'Content-Length: 4000'])}${json}`,
        { hangUp: true },
      ],
      ['headers over 16 KB', head('GET /v1/work-orders HTTP/1.1', [`X-Junk: ${'x'.repeat(20_000)}`])],
      [
        'broken chunked framing',
        `${head('POST /v1/customers HTTP/1.1', ['Content-Type: application/json', 'Transfer-Encoding: chunked'])}zz\r\n${json}\r\n0\r\n\r\n`,
      ],
      [
        'a Content-Length beside Transfer-Encoding',
        `${head('POST /v1/customers HTTP/1.1', ['Content-Type: application/json', 'Content-Length: 5', 'Transfer-Encoding: chunked'])}${json.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`,
      ],
      ['a request line that is not HTTP', 'HELLO WORLD\r\n\r\n'],
      ['a header line without a colon', head('GET /v1/work-orders HTTP/1.1', ['NoColonHere'])],
      ['a control character in the path', head('GET /v1/work-orders/wo_\u0001 HTTP/1.1', [])],
    ];

    // Act
    const answers = await Promise.all(
      malformed.map(([, bytes, options]) =>
        exchangeBytes(inject('apiUrl'), Buffer.from(bytes, 'latin1'), options).catch(
          (error: unknown) => error as Error,
        ),
      ),
    );
    const end = await tenantSnapshot(tenant.tenantId);

    // Assert
    const refusedWithProblem = (answer: RawResponse) => {
      const problem = JSON.parse(answer.text || '{}') as { title?: string; status?: number };
      return (
        answer.status >= 400 &&
        answer.status < 500 &&
        answer.headers['content-type']?.startsWith('application/problem+json') === true &&
        Boolean(problem.title) &&
        problem.status === answer.status
      );
    };
    const wrong = malformed.flatMap(([what, , options], index) => {
      const answer = answers[index] as RawResponse | Error;
      // A client that hung up may find the connection closed: there is no one to answer.
      if (answer instanceof Error) return options?.hangUp ? [] : [{ what, answer: answer.message }];
      return refusedWithProblem(answer)
        ? []
        : [{ what, answer: `${answer.status} ${answer.text.slice(0, 100)}` }];
    });
    const written = snapshotChanges(start, end);
    figures.transportCases = malformed.length;
    figures.wrongAnswers += wrong.length;
    figures.itemsWritten += written.added.length + written.removed.length + written.changed.length;
    expect(wrong).toEqual([]);
    expect(written).toEqual({ added: [], removed: [], changed: [] });
  });

  it('when a request does write, the probe sees it (so an unchanged tenant means nothing was written)', async () => {
    // Arrange
    const start = await tenantSnapshot(tenant.tenantId);
    const workOrderId = fuzzTenant.pools.wo?.[0] ?? '';

    // Act
    const noted = await api('POST', `/v1/work-orders/${workOrderId}/notes`, {
      token: fuzzTenant.token,
      body: { text: 'Customer asked us to ring twice' },
    });
    const end = await tenantSnapshot(tenant.tenantId);

    // Assert
    expect(noted.status).toBe(201);
    const changes = snapshotChanges(start, end);
    expect(changes.added.length).toBeGreaterThan(0);
    expect(changes.removed).toEqual([]);
  });
});
