import {
  agreementCoverage,
  blobStore,
  jobDurationStore,
  linkDependencies,
  locationHistoryStore,
  notificationLog,
  notifier,
  payments,
  photoStore,
  pricingStore,
  scheduler,
  workOrderDependencies,
} from '../../adapters/dependencies.ts';
import { runWorkflowStep } from '../../domain/work-orders/workflow-steps.ts';
import { workflowStepInput } from '../../schemas/workflow-tasks.ts';
import { withPowertools } from '../../shared/middleware.ts';
import { logger } from '../../shared/powertools.ts';
import { withBusyAsTransient } from './transient-failures.ts';

/** Invoked by every automated (non-waiting) state of the work-order state machine. */
export const handler = withPowertools(
  withBusyAsTransient(async (event: unknown) => {
    const input = workflowStepInput.parse(event);
    logger.appendKeys({ step: input.step, workOrderId: input.workOrderId });
    return runWorkflowStep(
      {
        ...workOrderDependencies(),
        notifier: notifier(),
        jobDurations: jobDurationStore(),
        locationHistory: locationHistoryStore(),
        photos: photoStore(),
        blobs: blobStore(),
        payments: payments(),
        pricing: pricingStore(),
        agreements: agreementCoverage(),
        scheduler: scheduler(),
        notifications: notificationLog(),
        customerLinks: linkDependencies(),
      },
      input.step,
      input.tenantId,
      input.workOrderId,
    );
  }),
);
