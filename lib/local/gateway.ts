import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { type RouteDefinition, routeKey, routes } from '../../lambdas/handlers/api/routes.ts';
import {
  AppError,
  PayloadTooLargeError,
  RouteNotFoundError,
  UnauthorizedError,
} from '../../lambdas/shared/errors.ts';
import { toProblem } from '../../lambdas/shared/problem.ts';
import { BodyTooLargeError, readBody } from './http-body.ts';
import type { LocalIdentity } from './local-identity.ts';

export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

/** API Gateway's own payload limit. */
const gatewayBodyLimit = 10 * 1024 * 1024;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameterNames: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{(\w+)\}/g, (_match, name: string) => {
      parameterNames.push(name);
      return '([^/]+)';
    });
  return { route, pattern: new RegExp(`^${source}$`), parameterNames };
}

/**
 * A path parameter as API Gateway hands it over, percent-decoded; a segment that does not decode
 * (`%E0%A4%A`) stays as sent, for the route's schema to refuse like any other bad id.
 */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Claims as the HTTP API JWT authorizer hands them to Lambda: strings, arrays as `[a b]`. */
function authorizerClaims(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value) ? `[${value.join(' ')}]` : String(value),
    ]),
  );
}

export function lambdaContext(functionName: string, timeoutMs = 29_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type LocalRoute = (
  request: IncomingMessage,
  url: URL,
  claims: Record<string, unknown> | undefined,
) => Promise<{ status: number; body: unknown }>;

/** A page of the local gateway outside the route table, answered without a bearer token. */
export interface LocalPage {
  method: 'GET' | 'POST';
  /** The path it serves, and every path under it (`/local/pay/` serves `/local/pay/{token}`). */
  prefix: string;
  handle(
    request: IncomingMessage,
    url: URL,
  ): Promise<{ status: number; contentType: string; body: string; headers?: Record<string, string> }>;
}

/**
 * The local HTTP API: matches the route table, verifies the bearer token like the JWT
 * authorizer (public routes excepted), turns the request into the same API Gateway v2 event
 * with the same claims, and calls the route's Lambda handler.
 */
export function createGateway(options: {
  identity: LocalIdentity;
  handlers: Record<string, LambdaHandler>;
  localRoutes?: Record<string, LocalRoute>;
  /** Pages under a path prefix that answer without a token (a customer's signed link). */
  localPages?: LocalPage[];
}): Server {
  const compiled = (routes as readonly RouteDefinition[]).map(compile);

  const send = (response: ServerResponse, result: APIGatewayProxyStructuredResultV2) => {
    const headers = { ...(result.headers as Record<string, string> | undefined) };
    response.writeHead(result.statusCode ?? 200, headers);
    response.end(
      result.body === undefined
        ? undefined
        : result.isBase64Encoded
          ? Buffer.from(result.body, 'base64')
          : result.body,
    );
  };
  const sendProblem = (
    response: ServerResponse,
    error: unknown,
    path: string,
    extraHeaders: Record<string, string> = {},
  ) => {
    const problem = toProblem(error, path);
    send(response, {
      statusCode: problem.status,
      headers: { 'content-type': 'application/problem+json', ...extraHeaders },
      body: JSON.stringify(problem),
    });
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    try {
      const localPage = options.localPages?.find(
        (candidate) => candidate.method === method && url.pathname.startsWith(candidate.prefix),
      );
      if (localPage) {
        const result = await localPage.handle(request, url);
        return send(response, {
          statusCode: result.status,
          headers: { 'content-type': result.contentType, ...result.headers },
          body: result.body,
        });
      }
      const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const claims = bearer ? await options.identity.verify(bearer) : undefined;

      const local = options.localRoutes?.[`${method} ${url.pathname}`];
      if (local) {
        if (!claims) throw new UnauthorizedError('A valid bearer token is required');
        const result = await local(request, url, claims);
        return send(response, {
          statusCode: result.status,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(result.body),
        });
      }

      const match = compiled
        .filter((candidate) => candidate.route.method === method)
        .map((candidate) => ({ candidate, groups: candidate.pattern.exec(url.pathname) }))
        .find((found) => found.groups !== null);
      if (!match?.groups) throw new RouteNotFoundError(`No route ${method} ${url.pathname}`);
      const { route, parameterNames } = match.candidate;

      if (route.auth !== 'public' && !claims) {
        return sendProblem(
          response,
          new UnauthorizedError('A valid bearer token is required'),
          url.pathname,
          {
            'www-authenticate': 'Bearer',
          },
        );
      }

      let body: Buffer;
      try {
        body = await readBody(request, gatewayBodyLimit);
      } catch (error) {
        if (error instanceof BodyTooLargeError)
          throw new PayloadTooLargeError('The request body is too large');
        throw error;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name.toLowerCase(),
          Array.isArray(value) ? value.join(',') : (value ?? ''),
        ]),
      );
      const query = [...url.searchParams.keys()].length
        ? Object.fromEntries(
            [...new Set(url.searchParams.keys())].map((key) => [key, url.searchParams.getAll(key).join(',')]),
          )
        : undefined;
      const pathParameters = parameterNames.length
        ? Object.fromEntries(
            parameterNames.map((name, index) => [name, decodePathSegment(match.groups?.[index + 1] ?? '')]),
          )
        : undefined;
      const requestId = randomUUID();
      const now = new Date();
      const event = {
        version: '2.0',
        routeKey: routeKey(route),
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        ...(query ? { queryStringParameters: query } : {}),
        ...(pathParameters ? { pathParameters } : {}),
        ...(body.length
          ? { body: body.toString('utf8'), isBase64Encoded: false }
          : { isBase64Encoded: false }),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'local',
          http: {
            method,
            path: url.pathname,
            protocol: `HTTP/${request.httpVersion}`,
            sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId,
          routeKey: routeKey(route),
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
          ...(route.auth !== 'public' && claims
            ? {
                authorizer: {
                  principalId: '',
                  integrationLatency: 0,
                  jwt: { claims: authorizerClaims(claims), scopes: [] },
                },
              }
            : {}),
        },
      } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

      const handler = options.handlers[route.function];
      if (!handler) throw new RouteNotFoundError(`No handler for ${route.function}`);
      const result = (await handler(
        event as never,
        lambdaContext(route.function),
      )) as APIGatewayProxyStructuredResultV2;
      send(response, result);
    } catch (error) {
      // A client that hung up before its body arrived is owed nothing.
      if (request.destroyed && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
        response.destroy();
        return;
      }
      // A refusal (a local route's 4xx included) is the caller's business; anything else is logged.
      if (!(error instanceof AppError && error.status < 500)) {
        console.error('Gateway error', error);
      }
      sendProblem(response, error, url.pathname);
    }
  });
  // A request that is not HTTP Node can read (a header block over 16 KB, broken chunked framing,
  // a Content-Length beside Transfer-Encoding) never reaches a route: it is refused as API Gateway
  // refuses it, here as a problem document, and the connection closed.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const title = status === 431 ? 'Request header fields too large' : 'Bad request';
    const body = JSON.stringify({
      type: `https://errors.field-service.dev/${title.toLowerCase().replaceAll(' ', '-')}`,
      title,
      status,
      detail: status === 431 ? 'The request headers are too large' : 'The request is not valid HTTP',
    });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\ncontent-type: application/problem+json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
