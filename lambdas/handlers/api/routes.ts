import type { z } from 'zod';
import { createWorkOrderBody, workOrderIdParams, workOrderView } from '../../schemas/work-orders.ts';
import { office, type Role } from '../../shared/roles.ts';
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
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

const defineRoute = <const R extends RouteDefinition>(route: R): R => route;

/**
 * The route table: every route once. CDK adds the HTTP API routes from it, the local gateway
 * serves it, the handlers dispatch on it and `/openapi.json` is generated from it.
 */
export const routes = [
  defineRoute({
    operationId: 'getHealth',
    method: 'GET',
    path: '/health',
    summary: 'Liveness of the API',
    tags: ['system'],
    function: 'system',
    auth: 'public',
    responses: { 200: { description: 'The API answers' } },
  }),
  defineRoute({
    operationId: 'getOpenApiDocument',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tags: ['system'],
    function: 'system',
    auth: 'public',
    responses: { 200: { description: 'The OpenAPI document' } },
  }),
  defineRoute({
    operationId: 'createWorkOrder',
    method: 'POST',
    path: '/v1/work-orders',
    summary: 'Create a work order for an existing or a new customer, and start its workflow',
    tags: ['work orders'],
    function: 'workOrders',
    auth: { roles: office },
    request: { body: createWorkOrderBody },
    responses: { 201: { description: 'The new work order', schema: workOrderView } },
  }),
  defineRoute({
    operationId: 'getWorkOrder',
    method: 'GET',
    path: '/v1/work-orders/{id}',
    summary: 'A work order with its status and the workflow state it is in',
    tags: ['work orders'],
    function: 'workOrders',
    auth: { roles: office },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The work order', schema: workOrderView } },
  }),
] as const;

export type Route = (typeof routes)[number];
export type OperationId = Route['operationId'];

export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;
