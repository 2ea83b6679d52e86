import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  clock,
  directoryStore,
  eventPublisher,
  idempotencyStore,
  ids,
  workflow,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { createWorkOrder } from '../../domain/work-orders/create-work-order.ts';
import {
  getWorkOrder,
  listWorkOrders,
  workOrderNotes,
  workOrderTimeline,
} from '../../domain/work-orders/queries.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { metrics } from '../../shared/powertools.ts';
import { reportFailure } from '../../shared/report-failure.ts';
import { toNoteView, toTimelineEventView, toWorkOrderView } from './work-order-view.ts';

export const handler = apiHandler(
  'workOrders',
  {
    createWorkOrder: async ({ actor, body }) => {
      const workOrder = await createWorkOrder(
        {
          workOrders: workOrderStore(),
          directory: directoryStore(),
          workflow: workflow(),
          events: eventPublisher(),
          clock,
          ids,
          reportFailure,
        },
        actor,
        body,
      );
      metrics.addMetric('WorkOrdersCreated', MetricUnit.Count, 1);
      return {
        status: 201,
        body: toWorkOrderView(workOrder, actor),
        headers: { location: `/v1/work-orders/${workOrder.workOrderId}` },
      };
    },
    getWorkOrder: async ({ actor, params }) => ({
      status: 200,
      body: toWorkOrderView(await getWorkOrder(workOrderStore(), actor, params.id), actor),
    }),
    listWorkOrders: async ({ actor, query }) => {
      const { limit, cursor, ...filter } = query;
      const page = await listWorkOrders(workOrderStore(), actor, filter, {
        limit,
        ...(cursor ? { cursor } : {}),
      });
      return {
        status: 200,
        body: {
          items: page.items.map((workOrder) => toWorkOrderView(workOrder, actor)),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
    getWorkOrderTimeline: async ({ actor, params, query }) => {
      const page = await workOrderTimeline(workOrderStore(), actor, params.id, {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return {
        status: 200,
        body: {
          items: page.items.map(toTimelineEventView),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
    listWorkOrderNotes: async ({ actor, params }) => ({
      status: 200,
      body: { items: (await workOrderNotes(workOrderStore(), actor, params.id)).map(toNoteView) },
    }),
  },
  { idempotency: idempotencyStore },
);
