import {
  agreementStore,
  blobStore,
  customerMessengerDependencies,
  directoryStore,
  followUpReminderStore,
  followUpTaskStore,
  jobDurationStore,
  linkDependencies,
  payments,
  plannedVisitStore,
  receivablesStore,
  scheduler,
  technicianStore,
  workOrderDependencies,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { billAgreementPeriod } from '../../domain/agreements/agreement-billing.ts';
import { planAgreementVisit } from '../../domain/agreements/agreement-visits.ts';
import { sendAppointmentReminder } from '../../domain/notifications/appointment-reminders.ts';
import { releaseHeldMessage } from '../../domain/notifications/customer-messenger.ts';
import { cancelOverdueReminders, checkOverdueInvoice } from '../../domain/receivables/overdue-reminders.ts';
import { runFollowUpReminder } from '../../domain/work-orders/follow-up-reminders.ts';
import { type SchedulePayload, schedulePayload } from '../../schemas/schedule-payloads.ts';
import { withPowertools } from '../../shared/middleware.ts';
import { logger } from '../../shared/powertools.ts';

/**
 * What EventBridge Scheduler invokes when a one-time schedule fires, with the schedule's
 * payload as the event (and what the invoice-paid rule invokes with its payload): dispatches on
 * the payload's `kind`. Every job is safe to run twice, since a schedule may be delivered more
 * than once; an error fails the invocation, so it is retried and finally parked in the
 * dead-letter queue.
 */
export const handler = withPowertools(async (event: unknown) => {
  const payload = schedulePayload.parse(event);
  logger.appendKeys({ kind: payload.kind, tenantId: payload.tenantId });
  const result = await run(payload);
  logger.info('Scheduled job done', { result });
  return result;
});

function run(payload: SchedulePayload) {
  switch (payload.kind) {
    case 'message-release':
      return releaseHeldMessage({ ...customerMessengerDependencies(), directory: directoryStore() }, payload);
    case 'appointment-reminder':
      return sendAppointmentReminder(
        { ...customerMessengerDependencies(), workOrders: workOrderStore(), directory: directoryStore() },
        payload,
      );
    case 'follow-up-reminder':
      return runFollowUpReminder(
        {
          ...customerMessengerDependencies(),
          reminders: followUpReminderStore(),
          tasks: followUpTaskStore(),
          directory: directoryStore(),
        },
        payload,
      );
    case 'invoice-overdue':
      return checkOverdueInvoice(
        {
          ...customerMessengerDependencies(),
          receivables: receivablesStore(),
          directory: directoryStore(),
          customerLinks: linkDependencies(),
          payments: payments(),
        },
        payload,
      );
    case 'invoice-paid':
      return cancelOverdueReminders({ receivables: receivablesStore(), scheduler: scheduler() }, payload);
    case 'agreement-billing':
      return billAgreementPeriod(
        {
          ...customerMessengerDependencies(),
          agreements: agreementStore(),
          directory: directoryStore(),
          customerLinks: linkDependencies(),
          payments: payments(),
          blobs: blobStore(),
        },
        payload,
      );
    case 'agreement-visit':
      return planAgreementVisit(
        {
          ...workOrderDependencies(),
          agreements: agreementStore(),
          plannedVisits: plannedVisitStore(),
          scheduler: scheduler(),
          technicians: technicianStore(),
          durations: jobDurationStore(),
        },
        payload,
      );
  }
}
