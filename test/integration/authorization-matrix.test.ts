import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '../../lambdas/handlers/api/routes.ts';
import { aStoredWorkOrder } from '../fixtures/tenants.ts';
import { aBusiness, aNeighbour, type Business } from '../helpers/business-fixture.ts';
import { linkFor } from '../helpers/customer-pages.ts';
import { tableEntities } from '../helpers/local-platform.ts';
import {
  type Caller,
  type Credentials,
  callers,
  credentialsOf,
  type Expectation,
  expectationFor,
  type HttpAnswer,
  inBatches,
  mismatch,
  recordFigures,
  recordsAsRead,
  type Side,
  send,
  sides,
  withMadeUpIds,
} from '../helpers/route-matrix.ts';
import {
  isAboutAWorkOrder,
  paramsFor,
  pathFor,
  sampleRequests,
  withQuery,
} from '../helpers/route-samples.ts';

const entities = tableEntities();
const table = routes as readonly RouteDefinition[];
const apiRoutes = table.filter((route) => !route.page);
const pageRoutes = table.filter((route) => route.page);

interface Case {
  route: RouteDefinition;
  caller: Caller;
  side: Side;
}

const describeCase = ({ route, caller, side }: Case) =>
  `${route.method} ${route.path} as ${caller} (${side} tenant)`;

/** Every route × caller × side, in table order. */
const everyCase = (list: readonly RouteDefinition[]): Case[] =>
  list.flatMap((route) => callers.flatMap((caller) => sides.map((side) => ({ route, caller, side }))));

/** Text no refused customer page may show: whose job it was and where. */
const privateBits = (business: Business) => [
  business.ids.workOrderId,
  business.ids.tenantId,
  'Pat Doe',
  '1 Main St',
  'Gate code',
];

/** A page link's purpose, by the page it opens. */
const purposeOf = (route: RouteDefinition) =>
  route.path.startsWith('/pages/appointment/')
    ? 'view'
    : route.path.startsWith('/pages/sign-off/')
      ? 'sign'
      : 'pay';

/** The forms the pages post, as a customer fills them in. */
const pageForms: Record<string, Record<string, string>> = {
  updateAccessNotesPage: { accessNotes: 'Gate code 4321, the dog is friendly' },
  rescheduleFromPage: {},
  cancelFromPage: { reason: 'We fixed it ourselves' },
  signFromPage: { signerName: 'Pat Doe', summaryHash: '0'.repeat(64), confirm: 'yes' },
  payFromPage: {},
};

/** The same link, its tenant swapped for another while its signature stays: it no longer verifies. */
function withTenant(token: string, tenantId: string) {
  const [kid, body, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, t: tenantId }), 'utf8').toString('base64url');
  return `${kid}.${forged}.${signature}`;
}

describe('authorization matrix generated from the route table', () => {
  let business: Business;
  let neighbourTenant: string;
  let credentials: Credentials;
  let anonymousAnswers: Map<RouteDefinition, HttpAnswer>;
  const figures = { routes: table.length, cases: 0, refused: 0, allowed: 0, failures: 0, technicianCases: 0 };

  beforeAll(async () => {
    const [built, neighbour] = await Promise.all([aBusiness(entities), aNeighbour(entities)]);
    business = built;
    neighbourTenant = neighbour.crew.tenant.tenantId;
    credentials = await credentialsOf(business, neighbour);
    anonymousAnswers = new Map();
    for (const route of apiRoutes.filter((candidate) => candidate.auth === 'public')) {
      const sample = sampleRequests[route.operationId]?.(business.ids) ?? {};
      anonymousAnswers.set(route, await send(route.method, withQuery(route.path, sample.query)));
    }
  });

  afterAll(async () => {
    await recordFigures('authorization-matrix', figures);
  });

  /** The request of a case, its expectation, and what was answered. */
  async function run(testCase: Case, workOrderId?: string) {
    const { route, caller, side } = testCase;
    const sample = sampleRequests[route.operationId]?.(business.ids) ?? {};
    const path = withQuery(pathFor(route, business.ids, workOrderId), sample.query);
    const expectation = expectationFor(route, caller, side, sample, business.allIds);
    const json = route.request?.body ? (sample.body ?? {}) : undefined;
    const answer = await send(route.method, path, {
      bearer: credentials[side][caller],
      ...(json === undefined ? {} : { json }),
    });
    const { ids } = business;
    const jobs = [ids.workOrderId, ids.invoicedWorkOrderId, ids.bookedWorkOrderId, ids.invoiceId];
    const foreignIds = side === 'other' ? business.allIds : caller === 'unassignedTechnician' ? jobs : [];
    const publicAnswer = anonymousAnswers.get(route);
    // The technician id in the caller's own token stays: only the records' ids are made up.
    const madeUp = business.allIds.filter((id) => caller !== 'assignedTechnician' || id !== ids.technicianId);
    const madeUpAnswer =
      expectation.kind === 'likeMadeUpIds'
        ? await send(route.method, withMadeUpIds(path, madeUp), {
            bearer: credentials[side][caller],
            ...(json === undefined ? {} : { json: JSON.parse(withMadeUpIds(JSON.stringify(json), madeUp)) }),
          })
        : undefined;
    const wrong = mismatch(expectation, { method: route.method, path, body: json }, answer, {
      foreignIds,
      ...(publicAnswer ? { publicAnswer } : {}),
      ...(madeUpAnswer ? { madeUpAnswer } : {}),
    });
    figures.cases += 1;
    if (expectation.kind === 'status' || expectation.kind === 'likeMadeUpIds') figures.refused += 1;
    else figures.allowed += 1;
    if (wrong) figures.failures += 1;
    return wrong ? `${describeCase(testCase)}: ${wrong}` : undefined;
  }

  /** Own-tenant changes the caller's role allows: they alter records, so they run after the refusals. */
  const isAllowedChange = (testCase: Case, expectation: Expectation) =>
    testCase.side === 'own' && expectation.kind === 'allowed' && testCase.route.method !== 'GET';

  const expectationOf = (testCase: Case) =>
    expectationFor(
      testCase.route,
      testCase.caller,
      testCase.side,
      sampleRequests[testCase.route.operationId]?.(business.ids) ?? {},
      business.allIds,
    );

  it('when a route has a body, query or path ids, its sample request is one the route accepts', () => {
    // Arrange
    const problems: string[] = [];

    // Act
    for (const route of apiRoutes) {
      const sample = sampleRequests[route.operationId]?.(business.ids) ?? {};
      const params = paramsFor(route, business.ids);
      for (const [part, schema, value] of [
        ['path', route.request?.params, params],
        ['query', route.request?.query, sample.query ?? {}],
        ['body', route.request?.body, sample.body ?? {}],
      ] as const) {
        const parsed = schema?.safeParse(value);
        if (parsed && !parsed.success) problems.push(`${route.operationId} ${part}: ${parsed.error.message}`);
      }
    }

    // Assert
    expect(problems).toEqual([]);
  });

  it('when a caller without a valid token, with a role the route does not allow, or from another tenant asks, every API route refuses with 401, 403 or 404 (or answers only their own data) and nothing of the tenant changes', async () => {
    // Arrange
    const before = await recordsAsRead(business);
    const cases = everyCase(apiRoutes).filter(
      (testCase) => testCase.route.method !== 'GET' && !isAllowedChange(testCase, expectationOf(testCase)),
    );

    // Act
    const wrong = await inBatches(cases, 8, (testCase) => run(testCase));
    const after = await recordsAsRead(business);

    // Assert
    expect(wrong.filter(Boolean)).toEqual([]);
    expect(after).toEqual(before);
  });

  it('when anyone reads, the office and the assigned technician get 200 and the unassigned technician, another tenant or nobody get 401, 403 or 404 or nothing of the jobs', async () => {
    // Arrange
    const cases = everyCase(apiRoutes).filter((testCase) => testCase.route.method === 'GET');

    // Act
    const wrong = await inBatches(cases, 8, (testCase) => run(testCase));

    // Assert
    expect(wrong.filter(Boolean)).toEqual([]);
  });

  it("when a technician asks about another technician's jobs, by id on every work-order route or by filtering the lists, it is 404 or an answer without them", async () => {
    // Arrange
    const { ids, crew } = business;
    const jobs = [ids.workOrderId, ids.invoicedWorkOrderId, ids.bookedWorkOrderId, ids.newWorkOrderId];
    const fieldRoutes = apiRoutes.filter(
      (route) =>
        isAboutAWorkOrder(route) && route.auth !== 'public' && route.auth.roles.includes('technician'),
    );
    const byId = fieldRoutes.flatMap((route) => jobs.map((job) => ({ route, job })));
    const day = new Date(Date.now() + 36 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const lists = [
      '/v1/work-orders?status=in_progress',
      '/v1/work-orders?status=scheduled',
      '/v1/work-orders?status=invoiced',
      `/v1/work-orders?technicianId=${ids.technicianId}`,
      `/v1/work-orders?customerId=${ids.customerId}`,
      `/v1/work-orders?locationId=${ids.locationId}`,
      `/v1/work-orders?from=${day}&to=${day}`,
      `/v1/technicians/${ids.otherTechnicianId}/schedule?date=${day}`,
    ];

    // Act
    const refused = await inBatches(byId, 8, async ({ route, job }) => {
      const sample = sampleRequests[route.operationId]?.(ids) ?? {};
      const path = withQuery(pathFor(route, ids, job), sample.query);
      const json = route.request?.body ? (sample.body ?? {}) : undefined;
      const answer = await send(route.method, path, {
        bearer: crew.otherTechnician,
        ...(json === undefined ? {} : { json }),
      });
      figures.technicianCases += 1;
      return answer.status === 404 ? undefined : `${route.method} ${path}: ${answer.status}`;
    });
    const listed = await inBatches(lists, 4, async (path) => {
      const answer = await send('GET', path, { bearer: crew.otherTechnician });
      figures.technicianCases += 1;
      const named = jobs.filter((job) => answer.text.includes(job));
      return answer.status === 200 && named.length === 0 ? undefined : `${path}: ${answer.status} ${named}`;
    });

    // Assert
    expect(fieldRoutes.length).toBeGreaterThan(20);
    expect([...refused, ...listed].filter(Boolean)).toEqual([]);
  });

  /** The path token of a page case and the bearer sent beside it: only the right link opens a page. */
  function pageCredentials(route: RouteDefinition, caller: Caller, side: Side) {
    if (caller === 'customerLink') {
      const link = business.links[purposeOf(route)];
      return { token: side === 'own' ? link : withTenant(link, neighbourTenant) };
    }
    if (caller === 'none') {
      return { token: side === 'own' ? 'not-a-link' : 'k1.eyJsIjoibG5rXzEifQ.c2lnbmF0dXJl' };
    }
    const jwt = credentials[side][caller] as string;
    return { token: jwt, bearer: jwt };
  }

  async function runPage(testCase: Case, token: string, bearer?: string) {
    const { route, caller, side } = testCase;
    const path = route.path.replace('{token}', token);
    const form = route.method === 'POST' ? (pageForms[route.operationId] ?? {}) : undefined;
    const answer = await send(route.method, path, {
      ...(bearer ? { bearer } : {}),
      ...(form ? { form } : {}),
    });
    const opens = caller === 'customerLink' && side === 'own';
    figures.cases += 1;
    let wrong: string | undefined;
    if (opens) {
      figures.allowed += 1;
      const fine = route.method === 'GET' ? [200, 303] : [200, 303, 400, 409, 422];
      if (!fine.includes(answer.status)) wrong = `${answer.status}: ${answer.text.slice(0, 200)}`;
    } else {
      figures.refused += 1;
      const shown = privateBits(business).filter((bit) => answer.text.includes(bit));
      if (answer.status !== 404) wrong = `${answer.status} instead of the 404 page`;
      else if (!answer.contentType.startsWith('text/html')) wrong = `a ${answer.contentType} answer`;
      else if (shown.length > 0) wrong = `the refusal shows ${shown.join(', ')}`;
    }
    if (wrong) figures.failures += 1;
    return wrong ? `${describeCase(testCase)}: ${wrong}` : undefined;
  }

  it('when a customer page is opened with an API token, no token, a forged link or a link of another tenant, it is the friendly 404 page with nothing of the job; its own link opens it', async () => {
    // Arrange
    const cases = everyCase(pageRoutes).filter(
      (testCase) =>
        testCase.route.method === 'GET' || !(testCase.caller === 'customerLink' && testCase.side === 'own'),
    );

    // Act
    const wrong = await inBatches(cases, 8, (testCase) => {
      const { token, bearer } = pageCredentials(testCase.route, testCase.caller, testCase.side);
      return runPage(testCase, token, bearer);
    });

    // Assert
    expect(wrong.filter(Boolean)).toEqual([]);
  });

  it("when a customer posts a page's form with their own link, it is taken past the link check (each on a job of its own)", async () => {
    // Arrange
    const { ids, crew } = business;
    const cases = pageRoutes
      .filter((route) => route.method === 'POST')
      .map((route) => ({ route, caller: 'customerLink' as const, side: 'own' as const }));

    // Act
    const wrong = await inBatches(cases, 4, async (testCase) => {
      const purpose = purposeOf(testCase.route);
      if (purpose === 'pay') return runPage(testCase, business.links.pay);
      const job = await aStoredWorkOrder(entities, crew.tenant, {
        status: purpose === 'sign' ? 'in_progress' : 'scheduled',
        technicianId: ids.technicianId,
        serviceTypeId: ids.serviceTypeId,
      });
      const link = await linkFor(crew.dispatcher, `/v1/work-orders/${job.workOrderId}/links`, { purpose });
      return runPage(testCase, link.url.slice(link.url.lastIndexOf('/') + 1));
    });

    // Assert
    expect(wrong.filter(Boolean)).toEqual([]);
  });

  it("when the route's roles change the tenant's records, every change gets past authorization (2xx, or the record's state answers 409/422); work-order changes each on a job of their own", async () => {
    // Arrange
    const { ids, crew } = business;
    const cases = everyCase(apiRoutes).filter((testCase) =>
      isAllowedChange(testCase, expectationOf(testCase)),
    );
    const ownJob = (route: RouteDefinition) => isAboutAWorkOrder(route) && !/\{(?!id\})/.test(route.path);
    const start = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000);
    start.setUTCHours(15, 0, 0, 0);

    // Act
    const onJobs = await inBatches(
      cases.filter((testCase) => ownJob(testCase.route)),
      4,
      async (testCase) => {
        const job = await aStoredWorkOrder(entities, crew.tenant, {
          status: 'in_progress',
          technicianId: ids.technicianId,
          serviceTypeId: ids.serviceTypeId,
          scheduledStart: start.toISOString(),
          scheduledEnd: new Date(start.getTime() + 90 * 60 * 1000).toISOString(),
          scheduledDate: start.toISOString().slice(0, 10),
        });
        return run(testCase, job.workOrderId);
      },
    );
    const onShared = await inBatches(
      cases.filter((testCase) => !ownJob(testCase.route)),
      1,
      (testCase) => run(testCase),
    );

    // Assert
    expect([...onJobs, ...onShared].filter(Boolean)).toEqual([]);
  });

  it('when the matrix has run, it covered every route with every caller of both tenants', () => {
    // Assert
    const expected = table.length * callers.length * sides.length;
    expect(figures.cases).toBe(expected);
    expect(figures.failures).toBe(0);
  });
});
