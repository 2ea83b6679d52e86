import type { AdjustableClock } from '../../lambdas/adapters/local/adjustable-clock.ts';
import type { InProcessEventBus } from '../../lambdas/adapters/local/in-process-event-bus.ts';
import type { TableScheduler } from '../../lambdas/adapters/local/table-scheduler.ts';
import { workOrderPaymentRecorded } from '../../lambdas/schemas/events/work-order-payment-recorded.ts';
import type { InvoicePaidPayload } from '../../lambdas/schemas/schedule-payloads.ts';
import { type LambdaHandler, lambdaContext } from './gateway.ts';
import { clockRoutes } from './local-clock.ts';
import { ScheduleRunner } from './schedule-runner.ts';

export interface ScheduledJobsOptions {
  clock: AdjustableClock;
  /** Where the clock's offset is kept. */
  clockFile: string;
  schedules: Pick<TableScheduler, 'due' | 'markFired'>;
  bus: InProcessEventBus;
  /** The schedule-target function's handler. */
  target: LambdaHandler;
  intervalMs?: number;
}

/**
 * What EventBridge Scheduler and the invoice-paid rule do in the cloud, on this machine: the
 * schedule runner fires due schedules by the local clock into the schedule-target handler, the
 * bus delivers a payment that leaves no balance to it as the rule would, and the clock's routes
 * move the clock and fire what became due.
 */
export function startScheduledJobs(options: ScheduledJobsOptions) {
  const invoke = (payload: Record<string, unknown>) =>
    options.target(payload as never, lambdaContext('ScheduleTargetFunction', 60_000));
  const runner = new ScheduleRunner(options.schedules, options.clock, invoke, {
    ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
  });
  options.bus.subscribe([workOrderPaymentRecorded.type], async (event) => {
    const detail = workOrderPaymentRecorded.detail.parse(event.detail);
    if (detail.balance !== 0) return;
    const payload: InvoicePaidPayload = {
      kind: 'invoice-paid',
      tenantId: event.tenantId,
      workOrderId: detail.workOrderId,
      invoiceId: detail.invoiceId,
    };
    await invoke(payload);
  });
  runner.start();
  return {
    routes: clockRoutes(options.clock, options.clockFile, () => runner.runDue()),
    runDue: () => runner.runDue(),
    stop: () => runner.stop(),
  };
}
