import {
  agreementStore,
  blobStore,
  clock,
  directoryStore,
  notifier,
  payments,
  receivablesStore,
  scheduler,
} from '../../adapters/dependencies.ts';
import { billAgreementPeriod } from '../../domain/agreements/agreement-billing.ts';
import { cancelOverdueReminders, checkOverdueInvoice } from '../../domain/receivables/overdue-reminders.ts';
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
    case 'invoice-overdue':
      return checkOverdueInvoice(
        {
          receivables: receivablesStore(),
          directory: directoryStore(),
          notifier: notifier(),
          scheduler: scheduler(),
          clock,
        },
        payload,
      );
    case 'invoice-paid':
      return cancelOverdueReminders({ receivables: receivablesStore(), scheduler: scheduler() }, payload);
    case 'agreement-billing':
      return billAgreementPeriod(
        {
          agreements: agreementStore(),
          directory: directoryStore(),
          notifier: notifier(),
          scheduler: scheduler(),
          clock,
          payments: payments(),
          blobs: blobStore(),
        },
        payload,
      );
  }
}
