import { z } from 'zod';
import { workOrderIdParams, workOrderView } from '../../schemas/work-orders.ts';
import { everyone, office } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

export const nextVisitBody = z
  .object({
    description: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .meta({ description: 'What this visit is for; defaults to the job’s description' }),
  })
  .strict()
  .meta({ id: 'NextVisit' });

const visitsView = z.object({ items: z.array(workOrderView) }).meta({ id: 'JobVisits' });

/** Multi-visit jobs: a chain of work orders, each visit scheduled when the one before completes. */
export const visitRoutes = [
  defineRoute({
    operationId: 'addNextVisit',
    method: 'POST',
    path: '/v1/work-orders/{id}/visits',
    summary:
      'Add the next visit of a multi-visit job after this one: held until this visit completes, then scheduled like any work order',
    tags: ['work orders'],
    function: 'workOrders',
    auth: { roles: office },
    request: { params: workOrderIdParams, body: nextVisitBody },
    responses: { 201: { description: 'The new visit', schema: workOrderView } },
  }),
  defineRoute({
    operationId: 'listJobVisits',
    method: 'GET',
    path: '/v1/work-orders/{id}/visits',
    summary:
      'The visits of the job this work order belongs to, in order (a technician sees those assigned to them)',
    tags: ['work orders'],
    function: 'workOrders',
    auth: { roles: everyone },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The visits', schema: visitsView } },
  }),
] as const;
