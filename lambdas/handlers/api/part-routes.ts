import {
  createPartBody,
  jobCostingView,
  listPartsQuery,
  partIdParams,
  partsUsedView,
  partUsageBody,
  partUsageView,
  partView,
  updatePartBody,
} from '../../schemas/parts.ts';
import { pageOf, versionQuery, workOrderIdParams } from '../../schemas/work-orders.ts';
import { everyone, office, type Role } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

const admin: Role[] = ['admin'];

/** The parts catalogue, the parts used on a work order, and the job's costing. */
export const partRoutes = [
  defineRoute({
    operationId: 'createPart',
    method: 'POST',
    path: '/v1/parts',
    summary: 'Add a part to the catalogue: SKU (unique), name, category, unit, unit cost and price, taxable',
    tags: ['parts'],
    function: 'parts',
    auth: { roles: admin },
    request: { body: createPartBody },
    responses: { 201: { description: 'The new part', schema: partView } },
  }),
  defineRoute({
    operationId: 'listParts',
    method: 'GET',
    path: '/v1/parts',
    summary:
      'The catalogue in SKU order, optionally of a category or activity; with sku, the part holding it',
    tags: ['parts'],
    function: 'parts',
    auth: { roles: everyone },
    request: { query: listPartsQuery },
    responses: { 200: { description: 'A page of parts', schema: pageOf(partView, 'PartPage') } },
  }),
  defineRoute({
    operationId: 'getPart',
    method: 'GET',
    path: '/v1/parts/{id}',
    summary: 'A part of the catalogue',
    tags: ['parts'],
    function: 'parts',
    auth: { roles: everyone },
    request: { params: partIdParams },
    responses: { 200: { description: 'The part', schema: partView } },
  }),
  defineRoute({
    operationId: 'updatePart',
    method: 'PATCH',
    path: '/v1/parts/{id}',
    summary: 'Change a part; new prices apply to parts used from now on',
    tags: ['parts'],
    function: 'parts',
    auth: { roles: admin },
    request: { params: partIdParams, query: versionQuery, body: updatePartBody },
    responses: { 200: { description: 'The part after the change', schema: partView } },
  }),
  defineRoute({
    operationId: 'recordPartUsed',
    method: 'POST',
    path: '/v1/work-orders/{id}/parts',
    summary:
      'Record a part used (cost and price captured now), or correct an earlier usage by taking quantity back',
    tags: ['field work'],
    function: 'parts',
    auth: { roles: everyone },
    request: { params: workOrderIdParams, body: partUsageBody },
    responses: { 201: { description: 'The usage or correction', schema: partUsageView } },
  }),
  defineRoute({
    operationId: 'listPartsUsed',
    method: 'GET',
    path: '/v1/work-orders/{id}/parts',
    summary: 'The parts used on a work order and their corrections, in order, with the totals',
    tags: ['field work'],
    function: 'parts',
    auth: { roles: everyone },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The parts used', schema: partsUsedView } },
  }),
  defineRoute({
    operationId: 'getJobCosting',
    method: 'GET',
    path: '/v1/work-orders/{id}/costing',
    summary: 'The job’s revenue, cost and margin, live from its labor, parts and service type',
    tags: ['invoicing'],
    function: 'parts',
    auth: { roles: office },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The job costing', schema: jobCostingView } },
  }),
] as const;
