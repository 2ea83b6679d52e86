import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Route, RouteDefinition } from '../handlers/api/routes.ts';
import type { ApiFunctionName } from '../handlers/functions.ts';
import {
  type FieldProblem,
  RouteNotFoundError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.ts';
import { bodyText, ownRoutesByKey } from './http-api.ts';
import { withPowertools } from './middleware.ts';
import { logger } from './powertools.ts';
import { unstorableNumbers } from './storable-numbers.ts';

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;
type RequestPart<R, K extends string> = R extends { request: infer Q }
  ? Q extends Record<K, infer S>
    ? Infer<S>
    : undefined
  : undefined;

export interface PageRequest<R extends Route = Route> {
  route: R;
  params: RequestPart<R, 'params'>;
  /** The query string as sent (pages read only flags from it). */
  query: Record<string, string | undefined>;
  /** A POST's form fields as typed, to show them again beside the problems. */
  form: Record<string, string>;
  /** The form read with the route's schema; undefined when it did not parse (see `problems`). */
  body: RequestPart<R, 'body'> | undefined;
  /** What is wrong with the form, by field (`body.signerName`). */
  problems: FieldProblem[];
  /** The request path as sent. */
  path: string;
  /** This response's script and style nonce: only elements carrying it run or apply. */
  nonce: string;
  requestId: string;
}

/** A page (HTML, with the origins of the images it shows), or a 303 redirect (after a POST, or to a download). */
export type PageResult =
  | { status: number; html: string; imageOrigins?: readonly string[] }
  | { redirect: string };

export type PageRoutesOf<F extends ApiFunctionName> = Extract<Route, { function: F; page: true }>;
export type PageImplementations<F extends ApiFunctionName> = {
  [R in PageRoutesOf<F> as R['operationId']]: (request: PageRequest<R>) => Promise<PageResult>;
};

export interface PageHandlerOptions {
  /** The page shown for any error: refused links, refused actions, failures (nothing internal in it). */
  errorPage: (error: unknown, request: { nonce: string; path: string }) => PageResult;
  /** Where forms may lead besides this origin: a payment provider's checkout the pay button redirects to. */
  formActionOrigins?: readonly string[];
}

/**
 * The headers of every page: no caching anywhere (a page holds a customer's data and its link),
 * no referrer (the link's token is in the URL), never framed, and a policy that lets only this
 * response's own nonce'd script and styles run, images from here or the listed origins, and
 * forms post here (or lead to the checkout).
 */
export function pageHeaders(
  nonce: string,
  options: { imageOrigins?: readonly string[]; formActionOrigins?: readonly string[] } = {},
): Record<string, string> {
  const images = [...new Set(options.imageOrigins ?? [])];
  return {
    'content-security-policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      ["img-src 'self' data:", ...images].join(' '),
      ["form-action 'self'", ...(options.formActionOrigins ?? [])].join(' '),
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

/** A POST's form fields: URL-encoded, as browsers send a form; the last of repeated fields counts. */
function readForm(event: APIGatewayProxyEventV2): Record<string, string> {
  const text = bodyText(event, 'form');
  if (text.trim() === '') return {};
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('A page takes an HTML form (application/x-www-form-urlencoded)');
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function problemsOf(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

function toResponse(
  result: PageResult,
  nonce: string,
  requestId: string,
  formActionOrigins: readonly string[] | undefined,
): APIGatewayProxyStructuredResultV2 {
  const headers = pageHeaders(nonce, {
    ...('imageOrigins' in result && result.imageOrigins ? { imageOrigins: result.imageOrigins } : {}),
    ...(formActionOrigins ? { formActionOrigins } : {}),
  });
  if ('redirect' in result) {
    return { statusCode: 303, headers: { ...headers, location: result.redirect, 'x-request-id': requestId } };
  }
  return {
    statusCode: result.status,
    headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'x-request-id': requestId },
    body: result.html,
  };
}

/**
 * The Lambda handler of a page function: finds the page route by its route key, reads the path
 * with its schema (a bad path is an error page) and a POST's form with the body schema (its
 * problems go to the page, which shows the form again), calls the page and answers with the
 * security headers. Every error becomes the error page; failures are logged, never shown.
 */
export function pageHandler<F extends ApiFunctionName>(
  functionName: F,
  areaRoutes: readonly RouteDefinition[],
  implementations: NoInfer<PageImplementations<F>>,
  options: PageHandlerOptions,
) {
  const pageRoutesByKey = new Map(
    [...ownRoutesByKey(functionName, areaRoutes, Object.keys(implementations))].filter(
      ([, route]) => route.page,
    ),
  );
  const handle = async (event: APIGatewayProxyEventV2, context: Context) => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    const nonce = randomBytes(18).toString('base64');
    const path = event.rawPath;
    try {
      const route = pageRoutesByKey.get(event.routeKey);
      if (!route || route.function !== functionName)
        throw new RouteNotFoundError(`No page ${event.routeKey}`);
      const implementation = (
        implementations as unknown as Record<string, (request: PageRequest) => Promise<PageResult>>
      )[route.operationId];
      if (!implementation) throw new RouteNotFoundError(`No page for ${route.operationId}`);

      const params = route.request?.params?.safeParse(event.pathParameters ?? {});
      if (params && !params.success) throw new ValidationError(problemsOf(params.error, 'path'));
      const form = route.method === 'POST' ? readForm(event) : {};
      const body = route.method === 'POST' ? route.request?.body?.safeParse(form) : undefined;
      // A number in a field (the signature's points) the table could not store is a problem of the form.
      const problems = body
        ? body.success
          ? unstorableNumbers(body.data)
          : problemsOf(body.error, 'body')
        : [];
      const result = await implementation({
        route: route as Route,
        params: params?.data,
        query: event.queryStringParameters ?? {},
        form,
        body: body?.success && problems.length === 0 ? body.data : undefined,
        problems,
        path,
        nonce,
        requestId,
      } as PageRequest);
      return toResponse(result, nonce, requestId, options.formActionOrigins);
    } catch (error) {
      const result = options.errorPage(error, { nonce, path });
      if (!('redirect' in result) && result.status >= 500) {
        logger.error('Page failed', { routeKey: event.routeKey, error });
      }
      return toResponse(result, nonce, requestId, options.formActionOrigins);
    }
  };
  return withPowertools(handle);
}
