import { clock, workflow, workOrderStore } from '../../adapters/dependencies.ts';
import { awaitStage } from '../../domain/work-orders/await-stage.ts';
import { awaitStageInput } from '../../schemas/workflow-tasks.ts';
import { withPowertools } from '../../shared/middleware.ts';
import { withBusyAsTransient } from './transient-failures.ts';

/** Invoked by every waiting state of the work-order state machine. */
export const handler = withPowertools(
  withBusyAsTransient(async (event: unknown) =>
    awaitStage({ workOrders: workOrderStore(), workflow: workflow(), clock }, awaitStageInput.parse(event)),
  ),
);
