import type { z } from 'zod';
import {
  completeBody,
  createWorkOrderBody,
  delayBody,
  dispatchBody,
  emptyBody,
  fieldStatusBody,
  laborBody,
  laborView,
  listWorkOrdersQuery,
  noteBody,
  noteView,
  pageOf,
  pageQuery,
  paymentBody,
  reasonBody,
  rescheduleBody,
  scheduleBody,
  timelineEventView,
  versionQuery,
  workOrderIdParams,
  workOrderView,
} from '../../schemas/work-orders.ts';
import { everyone, office, type Role } from '../../shared/roles.ts';
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

/** A transition of a work order: `POST /v1/work-orders/{id}/<verb>`, answering the work order. */
const actionRoute = <const O extends string, const B extends z.ZodType>(
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
    operationId: 'listWorkOrders',
    method: 'GET',
    path: '/v1/work-orders',
    summary: 'Work orders by status, customer, location, technician or day (a technician sees their own)',
    tags: ['work orders'],
    function: 'workOrders',
    auth: { roles: everyone },
    request: { query: listWorkOrdersQuery },
    responses: {
      200: { description: 'A page of work orders', schema: pageOf(workOrderView, 'WorkOrderPage') },
    },
  }),
  defineRoute({
    operationId: 'getWorkOrder',
    method: 'GET',
    path: '/v1/work-orders/{id}',
    summary: 'A work order with its status, the workflow state it is in and what the caller may do now',
    tags: ['work orders'],
    function: 'workOrders',
    auth: { roles: everyone },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The work order', schema: workOrderView } },
  }),
  defineRoute({
    operationId: 'getWorkOrderTimeline',
    method: 'GET',
    path: '/v1/work-orders/{id}/timeline',
    summary: 'The audit trail: every change with actor, role, time and before/after',
    tags: ['work orders'],
    function: 'workOrders',
    auth: { roles: everyone },
    request: { params: workOrderIdParams, query: pageQuery },
    responses: {
      200: {
        description: 'A page of events, oldest first',
        schema: pageOf(timelineEventView, 'TimelinePage'),
      },
    },
  }),
  defineRoute({
    operationId: 'listWorkOrderNotes',
    method: 'GET',
    path: '/v1/work-orders/{id}/notes',
    summary: 'The notes of a work order in time order',
    tags: ['field work'],
    function: 'workOrders',
    auth: { roles: everyone },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The notes', schema: pageOf(noteView, 'NotePage') } },
  }),
  actionRoute(
    'scheduleWorkOrder',
    'schedule',
    'Book the visit (gate: service location and service type)',
    scheduleBody,
    office,
  ),
  actionRoute(
    'rescheduleWorkOrder',
    'reschedule',
    'Release the booking: back to scheduling, history kept',
    rescheduleBody,
    office,
  ),
  actionRoute(
    'dispatchWorkOrder',
    'dispatch',
    'Assign the technician (gate: schedule and required skills)',
    dispatchBody,
    office,
  ),
  actionRoute(
    'setFieldStatus',
    'field-status',
    'En route (with ETA), arrived, in progress',
    fieldStatusBody,
    everyone,
  ),
  actionRoute('reportDelay', 'delay', 'Flag a delay with its reason and new ETA', delayBody, everyone),
  actionRoute(
    'completeWorkOrder',
    'complete',
    'Sign off (gate: a note, labor, a signature or the reason for none)',
    completeBody,
    everyone,
  ),
  actionRoute(
    'approveInvoice',
    'invoice/approve',
    'Approve the generated invoice; the workflow sends it',
    emptyBody,
    office,
  ),
  actionRoute(
    'recordPayment',
    'payments',
    'Record a payment; paid once the balance is zero',
    paymentBody,
    office,
  ),
  actionRoute('cancelWorkOrder', 'cancel', 'Cancel before completion, with the reason', reasonBody, office),
  actionRoute('holdWorkOrder', 'hold', 'Put on hold, with the reason', reasonBody, office),
  actionRoute('resumeWorkOrder', 'resume', 'Take off hold, back to where it was', emptyBody, office),
  defineRoute({
    operationId: 'addNote',
    method: 'POST',
    path: '/v1/work-orders/{id}/notes',
    summary: 'Add a time-stamped note',
    tags: ['field work'],
    function: 'workOrderActions',
    auth: { roles: everyone },
    request: { params: workOrderIdParams, body: noteBody },
    responses: { 201: { description: 'The note', schema: noteView } },
  }),
  defineRoute({
    operationId: 'recordLabor',
    method: 'POST',
    path: '/v1/work-orders/{id}/labor',
    summary: 'Record time worked by a technician',
    tags: ['field work'],
    function: 'workOrderActions',
    auth: { roles: everyone },
    request: { params: workOrderIdParams, body: laborBody },
    responses: { 201: { description: 'The labor entry', schema: laborView } },
  }),
] as const;

export type Route = (typeof routes)[number];
export type OperationId = Route['operationId'];

export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;
