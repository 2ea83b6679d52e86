import type { z } from 'zod';
import { versionQuery, workOrderIdParams, workOrderView } from '../../schemas/work-orders.ts';
import type { Role } from '../../shared/roles.ts';
import type { ApiFunctionName } from '../functions.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  operationId: string;
  method: HttpMethod;
  /** API Gateway path syntax: `/v1/work-orders/{id}`. */
  path: string;
  summary: string;
  tags: string[];
  function: ApiFunctionName;
  /** `public` routes have no authorizer; the others need a token of one of these roles. */
  auth: 'public' | { roles: Role[] };
  request?: {
    params?: z.ZodType;
    query?: z.ZodType;
    body?: z.ZodType;
  };
  /**
   * The handler gets the body as sent (`request.rawBody`), not parsed as JSON: a webhook whose
   * signature covers its exact bytes. Such a route has no body schema.
   */
  rawBody?: true;
  /**
   * A page for a person rather than a resource for a program (a customer's link page): answered
   * with HTML or a 303 redirect, a POST's body an HTML form (`application/x-www-form-urlencoded`)
   * read with `request.body`. Served by a page function (`pageHandler`), never `apiHandler`.
   */
  page?: true;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

export const defineRoute = <const R extends RouteDefinition>(route: R): R => route;

/** A transition of a work order: `POST /v1/work-orders/{id}/<verb>`, answering the work order. */
export const actionRoute = <const O extends string, const B extends z.ZodType>(
  operationId: O,
  verb: string,
  summary: string,
  body: B,
  roles: Role[],
) =>
  defineRoute({
    operationId,
    method: 'POST',
    path: `/v1/work-orders/{id}/${verb}`,
    summary,
    tags: ['lifecycle'],
    function: 'workOrderActions',
    auth: { roles },
    request: { params: workOrderIdParams, query: versionQuery, body },
    responses: { 200: { description: 'The work order after the change', schema: workOrderView } },
  } as const);

export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;
