import {
  customerMessengerDependencies,
  directoryStore,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { withdrawAppointmentReminder } from '../../domain/notifications/appointment-reminders.ts';
import { tellCustomerMilestone } from '../../domain/notifications/customer-milestones.ts';
import { busEvent, detailTypeOf } from '../../schemas/events/bus-event.ts';
import { transitionDetail } from '../../schemas/events/event-definition.ts';
import { workOrderCancelled } from '../../schemas/events/work-order-cancelled.ts';
import { workOrderCompleted } from '../../schemas/events/work-order-completed.ts';
import { workOrderEnRoute } from '../../schemas/events/work-order-en-route.ts';
import { workOrderRescheduled } from '../../schemas/events/work-order-rescheduled.ts';
import { withPowertools } from '../../shared/middleware.ts';
import { logger } from '../../shared/powertools.ts';

/**
 * What the customer-milestones rule invokes with a work-order event from the bus (and the local
 * runtime with the same shape): the technician on the way and the work done are told to the
 * customer; a cancellation or a return to scheduling withdraws the day-before reminder. Every
 * path is safe to run twice (messages carry dedupe keys); an error fails the invocation, so it
 * is retried and finally parked in the dead-letter queue.
 */
export const handler = withPowertools(async (event: unknown) => {
  const { 'detail-type': detailType, detail } = busEvent.parse(event);
  const { tenantId } = detail;
  logger.appendKeys({ detailType, tenantId });
  const deps = {
    ...customerMessengerDependencies(),
    workOrders: workOrderStore(),
    directory: directoryStore(),
  };
  let result: unknown;
  switch (detailType) {
    case detailTypeOf(workOrderEnRoute): {
      const { workOrderId, version, technicianId, eta } = workOrderEnRoute.detail.parse(detail);
      result = await tellCustomerMilestone(deps, {
        milestone: 'en_route',
        tenantId,
        workOrderId,
        version,
        ...(technicianId ? { technicianId } : {}),
        ...(eta ? { eta } : {}),
      });
      break;
    }
    case detailTypeOf(workOrderCompleted): {
      const { workOrderId } = workOrderCompleted.detail.parse(detail);
      result = await tellCustomerMilestone(deps, { milestone: 'completed', tenantId, workOrderId });
      break;
    }
    case detailTypeOf(workOrderRescheduled):
    case detailTypeOf(workOrderCancelled): {
      const { workOrderId } = transitionDetail.parse(detail);
      result = await withdrawAppointmentReminder(deps, { tenantId, workOrderId });
      break;
    }
    default:
      result = { outcome: 'ignored' };
  }
  logger.info('Customer milestone handled', { result });
  return result;
});
