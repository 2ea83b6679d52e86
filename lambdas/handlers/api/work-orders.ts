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
import { getWorkOrder } from '../../domain/work-orders/get-work-order.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { logger, metrics } from '../../shared/powertools.ts';
import { toWorkOrderView } from './work-order-view.ts';

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
          reportFailure: (message, error) => {
            logger.error(message, { error });
            metrics.addMetric('WorkOrderSideEffectFailures', MetricUnit.Count, 1);
          },
        },
        actor,
        body,
      );
      metrics.addMetric('WorkOrdersCreated', MetricUnit.Count, 1);
      return {
        status: 201,
        body: toWorkOrderView(workOrder),
        headers: { location: `/v1/work-orders/${workOrder.workOrderId}` },
      };
    },
    getWorkOrder: async ({ actor, params }) => ({
      status: 200,
      body: toWorkOrderView(await getWorkOrder(workOrderStore(), actor, params.id)),
    }),
  },
  { idempotency: idempotencyStore },
);
