import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  catalogStore,
  clock,
  directoryStore,
  idempotencyStore,
  photoStore,
  technicianStore,
  tenantWriteLimiter,
  workOrderDependencies,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { suggestServiceTypes } from '../../domain/catalog/suggest-service-types.ts';
import { changedSinceSigned } from '../../domain/execution/work-summary.ts';
import { dispatchBoard } from '../../domain/scheduling/dispatch-board.ts';
import { createWorkOrder } from '../../domain/work-orders/create-work-order.ts';
import { canSee } from '../../domain/work-orders/lifecycle.ts';
import {
  getWorkOrder,
  listWorkOrders,
  workOrderNotes,
  workOrderTimeline,
} from '../../domain/work-orders/queries.ts';
import { relevantHistory } from '../../domain/work-orders/relevant-history.ts';
import { addNextVisit, jobVisits } from '../../domain/work-orders/visits.ts';
import type { WorkOrder } from '../../domain/work-orders/work-order.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { metrics } from '../../shared/powertools.ts';
import { reportFailure } from '../../shared/report-failure.ts';
import { visitRoutes } from './visit-routes.ts';
import { workOrderRoutes } from './work-order-routes.ts';
import { toNoteView, toTimelineEventView, toWorkOrderView } from './work-order-view.ts';

/**
 * While the customer is still on the phone: the likeliest service types when none was
 * chosen, and the earlier work orders worth knowing about. Both are advice: if either
 * cannot be read, the work order is still answered, without it.
 */
async function whatTheOfficeShouldKnow(tenantId: string, workOrder: WorkOrder, suggest: boolean) {
  const directory = directoryStore();
  const [serviceTypeSuggestions, history] = await Promise.all([
    suggest
      ? suggestServiceTypes({ catalog: catalogStore(), clock }, tenantId, workOrder.description, 3).catch(
          (error: unknown) => {
            reportFailure('Service types could not be suggested', error);
            return undefined;
          },
        )
      : undefined,
    relevantHistory(
      {
        history: catalogStore(),
        technicianName: async (tenant, technicianId) =>
          (await directory.getTechnician(tenant, technicianId))?.name,
      },
      tenantId,
      {
        customerId: workOrder.customerId,
        ...(workOrder.locationId ? { locationId: workOrder.locationId } : {}),
        ...(workOrder.equipmentId ? { equipmentId: workOrder.equipmentId } : {}),
        description: workOrder.description,
      },
      // One more than shown: the new work order itself is among them.
      relevantHistoryShown + 1,
    ).catch((error: unknown) => {
      reportFailure('Relevant history could not be read', error);
      return [];
    }),
  ]);
  return {
    ...(serviceTypeSuggestions ? { serviceTypeSuggestions } : {}),
    relevantHistory: history
      .filter((entry) => entry.workOrderId !== workOrder.workOrderId)
      .slice(0, relevantHistoryShown),
  };
}

const relevantHistoryShown = 5;

export const handler = apiHandler(
  'workOrders',
  [...workOrderRoutes, ...visitRoutes],
  {
    createWorkOrder: async ({ actor, body }) => {
      const workOrder = await createWorkOrder(workOrderDependencies(), actor, body);
      metrics.addMetric('WorkOrdersCreated', MetricUnit.Count, 1);
      const context = await whatTheOfficeShouldKnow(
        actor.tenantId,
        workOrder,
        body.serviceTypeId === undefined,
      );
      return {
        status: 201,
        body: { ...toWorkOrderView(workOrder, actor), ...context },
        headers: { location: `/v1/work-orders/${workOrder.workOrderId}` },
      };
    },
    addNextVisit: async ({ actor, params, body }) => {
      const visit = await addNextVisit(workOrderDependencies(), actor, params.id, body);
      return {
        status: 201,
        body: toWorkOrderView(visit, actor),
        headers: { location: `/v1/work-orders/${visit.workOrderId}` },
      };
    },
    listJobVisits: async ({ actor, params }) => {
      const visits = await jobVisits(workOrderStore(), actor, params.id);
      if (!visits.some((visit) => visit.workOrderId === params.id && canSee(actor, visit))) {
        throw new NotFoundError('Work order', params.id);
      }
      return {
        status: 200,
        body: {
          items: visits.filter((visit) => canSee(actor, visit)).map((visit) => toWorkOrderView(visit, actor)),
        },
      };
    },
    getWorkOrder: async ({ actor, params }) => {
      const workOrder = await getWorkOrder(workOrderStore(), actor, params.id);
      const view = toWorkOrderView(workOrder, actor);
      // A signed work order tells whether its work changed since the customer signed.
      const changed = await changedSinceSigned(
        { workOrders: workOrderStore(), directory: directoryStore(), photos: photoStore() },
        workOrder,
      );
      return {
        status: 200,
        body:
          changed === undefined || !view.signature
            ? view
            : { ...view, signature: { ...view.signature, changedSinceSigned: changed } },
      };
    },
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
    getDispatchBoard: async ({ actor, query }) => {
      const board = await dispatchBoard(
        { workOrders: workOrderStore(), technicians: technicianStore() },
        actor,
        query.date,
      );
      const view = (workOrder: WorkOrder) => toWorkOrderView(workOrder, actor);
      return {
        status: 200,
        body: {
          date: board.date,
          lanes: board.lanes.map((lane) => ({
            technician: lane.technician,
            workOrders: lane.workOrders.map(view),
          })),
          unassigned: board.unassigned.map(view),
        },
      };
    },
    listWorkOrderNotes: async ({ actor, params }) => ({
      status: 200,
      body: { items: (await workOrderNotes(workOrderStore(), actor, params.id)).map(toNoteView) },
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
