import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { z } from 'zod';
import type { Actor } from '../domain/shared/actor.ts';
import { type RouteDefinition, routeKey } from '../handlers/api/route-definition.ts';
import type { Route } from '../handlers/api/routes.ts';
import type { ApiFunctionName } from '../handlers/functions.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { TenantWriteLimiter } from '../ports/tenant-write-limiter.ts';
import { actorFromClaims } from './auth.ts';
import {
  type FieldProblem,
  PayloadTooLargeError,
  RouteNotFoundError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.ts';
import { fingerprint, parseIdempotencyKey, runIdempotently } from './idempotency.ts';
import { withPowertools } from './middleware.ts';
import { logger } from './powertools.ts';
import { toProblem } from './problem.ts';
import { unstorableNumbers } from './storable-numbers.ts';

export const maxBodyBytes = 256 * 1024;

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;
type RequestPart<R, K extends string> = R extends { request: infer Q }
  ? Q extends Record<K, infer S>
    ? Infer<S>
    : undefined
  : undefined;

export interface ApiRequest<R extends Route = Route> {
  route: R;
  /** Absent only on public routes. */
  actor: R['auth'] extends 'public' ? Actor | undefined : Actor;
  params: RequestPart<R, 'params'>;
  query: RequestPart<R, 'query'>;
  body: RequestPart<R, 'body'>;
  /** The body exactly as sent, on routes that ask for it (`rawBody: true`); the empty string when none. */
  rawBody?: string;
  headers: Record<string, string | undefined>;
  requestId: string;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RoutesOf<F extends ApiFunctionName> = Extract<Route, { function: F }>;
export type Implementations<F extends ApiFunctionName> = {
  [R in RoutesOf<F> as R['operationId']]: (request: ApiRequest<R>) => Promise<ApiResult>;
};

/**
 * The function's own routes by route key. A function is given the route modules of its areas
 * only (not the whole table), so that it loads the schemas of its own routes and no others;
 * every operation it implements must be among them, or it fails at init, naming the operation.
 */
export function ownRoutesByKey<R extends RouteDefinition>(
  functionName: ApiFunctionName,
  areaRoutes: readonly RouteDefinition[],
  operationIds: readonly string[],
): Map<string, R> {
  const own = areaRoutes.filter((route) => route.function === functionName);
  const missing = operationIds.filter((id) => !own.some((route) => route.operationId === id));
  if (missing.length > 0)
    throw new Error(`${functionName}: no route given for ${missing.join(', ')}; pass its route module`);
  return new Map(own.map((route) => [routeKey(route), route as R]));
}

function parsePart(
  schema: z.ZodType | undefined,
  value: unknown,
  prefix: string,
  problems: FieldProblem[],
): unknown {
  if (!schema) return undefined;
  // Only a part that is absent is empty: a JSON body of `null` is a body of the wrong type.
  const result = schema.safeParse(value === undefined ? {} : value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const at = [prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      // Each member the request may not send is named, not the object holding it.
      for (const key of issue.keys)
        problems.push({ field: [...at, key].join('.'), message: 'not a known field' });
    } else problems.push({ field: at.join('.'), message: issue.message });
  }
  return undefined;
}

/**
 * The body as text, as sent (API Gateway base64-encodes bodies it does not take for text), up to
 * `maxBodyBytes`; `what` names it in the refusal (a page's body is its form).
 */
export function bodyText(
  event: Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'body' | 'isBase64Encoded'>,
  what: 'body' | 'form' = 'body',
): string {
  const raw =
    event.body === undefined
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  if (Buffer.byteLength(raw, 'utf8') > maxBodyBytes)
    throw new PayloadTooLargeError(`The ${what} is larger than ${maxBodyBytes} bytes`);
  return raw;
}

function readBody(event: APIGatewayProxyEventV2WithJWTAuthorizer, expectsBody: boolean): unknown {
  if (!expectsBody) return undefined;
  const raw = bodyText(event);
  // An empty body is an empty object: actions without parameters need none, and the schema names what is missing.
  if (raw.trim() === '') return undefined;
  const contentType = event.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('The body must be application/json');
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new ValidationError([{ field: 'body', message: 'not valid JSON' }]);
  }
}

function respond(result: ApiResult, requestId: string): APIGatewayProxyStructuredResultV2 {
  return respondWithText(
    result.status,
    result.body === undefined ? undefined : JSON.stringify(result.body),
    result.headers,
    requestId,
  );
}

/** The answer with a body already serialized: each answer's JSON is written once. */
function respondWithText(
  status: number,
  bodyText: string | undefined,
  headers: Record<string, string> | undefined,
  requestId: string,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: {
      'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
      'x-request-id': requestId,
      ...headers,
    },
    ...(bodyText === undefined ? {} : { body: bodyText }),
  };
}

export interface ApiHandlerOptions {
  idempotency: () => IdempotencyStore;
  /** Counts each tenant's writes and refuses those past its limit for the minute. */
  writeLimiter: () => TenantWriteLimiter;
}

/** A tenant's write past its limit for this minute is refused before it does anything (429, Retry-After). */
async function admitWrite(limiter: TenantWriteLimiter, tenantId: string): Promise<void> {
  const admission = await limiter.admit(tenantId);
  if (admission.admitted) return;
  throw new TooManyRequestsError(
    `This account makes at most ${admission.limit} changes a minute; retry in ${admission.retryAfterSeconds} s`,
    admission.retryAfterSeconds,
    { limit: admission.limit },
  );
}

/**
 * The Lambda handler of one API function: finds the route by its route key, takes the actor
 * from the verified claims, validates path, query and body with the route's schemas, counts a
 * write against the tenant's limit, runs POSTs idempotently (per user and key), calls the
 * route's implementation and maps any error to problem+json.
 */
export function apiHandler<F extends ApiFunctionName>(
  functionName: F,
  areaRoutes: readonly RouteDefinition[],
  implementations: NoInfer<Implementations<F>>,
  options: ApiHandlerOptions,
) {
  const routesByKey = ownRoutesByKey<RouteDefinition & Route>(
    functionName,
    areaRoutes,
    Object.keys(implementations),
  );
  const handle = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    const instance = event.rawPath;
    try {
      const route = routesByKey.get(event.routeKey);
      if (!route || route.function !== functionName)
        throw new RouteNotFoundError(`No route ${event.routeKey}`);
      const implementation = (
        implementations as unknown as Record<string, (request: ApiRequest) => Promise<ApiResult>>
      )[route.operationId];
      if (!implementation) throw new RouteNotFoundError(`No implementation for ${route.operationId}`);

      const actor =
        route.auth === 'public'
          ? undefined
          : actorFromClaims(event.requestContext.authorizer?.jwt?.claims, route.auth.roles);
      const request = route.request;
      const headers = event.headers ?? {};
      const idempotencyKey =
        route.method === 'POST' ? parseIdempotencyKey(headers['idempotency-key']) : undefined;
      const rawBody = readBody(event, request?.body !== undefined);
      const text = route.rawBody ? { rawBody: bodyText(event) } : {};
      const problems: FieldProblem[] = unstorableNumbers(rawBody);
      const parsed = {
        params: parsePart(request?.params, event.pathParameters, 'path', problems),
        query: parsePart(request?.query, event.queryStringParameters, 'query', problems),
        body: parsePart(request?.body, rawBody, 'body', problems),
      };
      if (problems.length > 0) throw new ValidationError(problems);
      // Before the idempotency claim: a refused write must not be remembered as the key's answer.
      if (actor && route.method !== 'GET') await admitWrite(options.writeLimiter(), actor.tenantId);

      const execute = async () => {
        try {
          const result = await implementation({
            route,
            actor,
            ...parsed,
            ...text,
            headers,
            requestId,
          } as ApiRequest);
          return {
            status: result.status,
            body: JSON.stringify(result.body ?? null),
            headers: result.headers,
          };
        } catch (error) {
          const problem = toProblem(error, instance);
          if (problem.status >= 500) throw error;
          return { status: problem.status, body: JSON.stringify(problem) };
        }
      };
      if (!idempotencyKey || !actor) {
        const result = await execute();
        return respondWithText(result.status, result.body, result.headers, requestId);
      }
      let executed: Awaited<ReturnType<typeof execute>> | undefined;
      const stored = await runIdempotently(
        options.idempotency(),
        {
          tenantId: actor.tenantId,
          // A key is its client's: another user of the tenant sending the same key makes a request
          // of their own. Keys have no spaces, so the user's id after one cannot run into them.
          key: `${idempotencyKey} ${actor.id}`,
          fingerprint: fingerprint(route.method, event.rawPath, rawBody),
        },
        async () => {
          executed = await execute();
          // The headers a replay needs travel with the stored body (already JSON text).
          return {
            status: executed.status,
            body: `{"body":${executed.body},"headers":${JSON.stringify(executed.headers ?? {})}}`,
          };
        },
      );
      if (executed && !stored.replayed)
        return respondWithText(executed.status, executed.body, executed.headers, requestId);
      const replay = JSON.parse(stored.body) as { body: unknown; headers: Record<string, string> };
      return respond(
        {
          status: stored.status,
          body: replay.body,
          headers: { ...replay.headers, ...(stored.replayed ? { 'idempotent-replayed': 'true' } : {}) },
        },
        requestId,
      );
    } catch (error) {
      const problem = toProblem(error, instance);
      if (problem.status >= 500) logger.error('Request failed', { routeKey: event.routeKey, error });
      const retryAfter =
        error instanceof TooManyRequestsError
          ? { 'retry-after': String(error.retryAfterSeconds) }
          : undefined;
      return respond(
        { status: problem.status, body: problem, ...(retryAfter ? { headers: retryAfter } : {}) },
        requestId,
      );
    }
  };
  return withPowertools(handle);
}
