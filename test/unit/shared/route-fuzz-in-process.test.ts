import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { type RouteDefinition, routeKey, routes } from '../../../lambdas/handlers/api/routes.ts';
import { apiFunctions } from '../../../lambdas/handlers/functions.ts';
import { lambdaContext } from '../../../lib/local/gateway.ts';
import type { RawResponse } from '../../helpers/raw-http.ts';
import { reliabilityFigures } from '../../helpers/reliability-figures.ts';
import {
  decodeSegment,
  type FuzzCase,
  type FuzzTenant,
  fuzzCasesOf,
  judge,
  queryObject,
} from '../../helpers/route-fuzz.ts';

vi.hoisted(() => {
  // Before the handlers load: Powertools reads its settings once; nothing here is worth a log line.
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
});

/** Samples per route: with 142 routes, about 3,400 broken requests, each straight into its Lambda handler. */
const casesPerRoute = 40;
const seed = Number(process.env.FUZZ_SEED ?? 20_260_412);

/** No records, no real tokens: nothing here may reach a store (there is none configured). */
const nowhere: FuzzTenant = { token: 'unused', pools: {}, linkTokens: {}, foreignCursors: [] };

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

const handlers = new Map<string, Promise<Handler>>();
const handlerOf = (route: RouteDefinition) => {
  const { entry } = apiFunctions[route.function];
  if (!handlers.has(entry)) {
    handlers.set(
      entry,
      import(pathToFileURL(entry).href).then((module: { handler: Handler }) => module.handler),
    );
  }
  return handlers.get(entry) as Promise<Handler>;
};

/** The API Gateway event the request would become: the same shape the local gateway builds. */
function eventOf(fuzz: FuzzCase): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { route, request } = fuzz;
  const [rawPath = '', rawQuery = ''] = request.path.split(/\?(.*)/s);
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  const pattern = new RegExp(`^${route.path.replace(/\{\w+\}/g, '([^/]*)')}$`);
  const segments = pattern.exec(rawPath)?.slice(1) ?? [];
  const query = queryObject(rawQuery);
  const body = request.body === undefined ? undefined : String(request.body);
  return {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath,
    rawQueryString: rawQuery,
    headers: Object.fromEntries(
      Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    ...(query ? { queryStringParameters: query } : {}),
    ...(names.length
      ? {
          pathParameters: Object.fromEntries(
            names.map((name, index) => [name, decodeSegment(segments[index] ?? '')]),
          ),
        }
      : {}),
    ...(body ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'fuzz',
      ...(route.auth === 'public'
        ? {}
        : {
            authorizer: {
              jwt: {
                claims: { sub: 'fuzz-admin', 'custom:tenantId': 'ten_fuzz', 'cognito:groups': '[admin]' },
                scopes: [],
              },
            },
          }),
    },
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/**
 * A case whose refusal needs nothing but the request: a JSON route's broken part, or a page's
 * broken path or unreadable form (a page shows a merely invalid form again, which reads the link).
 */
const refusableInProcess = (fuzz: FuzzCase) =>
  fuzz.broken.length > 0 &&
  !fuzz.route.rawBody &&
  (!fuzz.route.page ||
    fuzz.broken.includes('path') ||
    !/urlencoded/.test(fuzz.request.headers?.['content-type'] ?? ''));

describe('fuzzing every route in process', () => {
  const figures = reliabilityFigures('fuzz-in-process', { cases: 0, wrongAnswers: 0 });

  it('when thousands of broken requests go straight into the Lambda handlers, each is refused 4xx as a problem or a friendly page before anything is read or written', async () => {
    // Arrange
    const cases = (routes as readonly RouteDefinition[]).flatMap((route, index) =>
      fc
        .sample(fuzzCasesOf(route, nowhere), { numRuns: casesPerRoute, seed: seed + index })
        .filter((fuzz): fuzz is FuzzCase => fuzz !== undefined && refusableInProcess(fuzz)),
    );

    // Act
    const failures: unknown[] = [];
    for (const fuzz of cases) {
      const handler = await handlerOf(fuzz.route);
      const result = await handler(eventOf(fuzz), lambdaContext(fuzz.route.function));
      const response: RawResponse = {
        status: result.statusCode ?? 0,
        headers: Object.fromEntries(
          Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
        text: result.body ?? '',
      };
      const wrong = judge(fuzz, response);
      if (wrong) failures.push({ wrong, route: routeKey(fuzz.route), path: fuzz.request.path.slice(0, 200) });
    }

    // Assert
    figures.cases = cases.length;
    figures.wrongAnswers = failures.length;
    expect(cases.length).toBeGreaterThan(3_000);
    expect(failures.slice(0, 10)).toEqual([]);
  }, 60_000);
});
