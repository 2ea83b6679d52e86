import { clock, eventPublisher, ids, workOrderStore } from '../../adapters/dependencies.ts';
import { markNeedsAttention } from '../../domain/work-orders/mark-needs-attention.ts';
import { markNeedsAttentionInput } from '../../schemas/workflow-tasks.ts';
import { withPowertools } from '../../shared/middleware.ts';
import { reportNeedsAttention } from '../../shared/report-failure.ts';

/** The state machine's Catch-all target; each work order newly flagged is counted (`NeedsAttention`). */
export const handler = withPowertools(async (event: unknown) => {
  const input = markNeedsAttentionInput.parse(event);
  const workOrder = await markNeedsAttention(
    { workOrders: workOrderStore(), events: eventPublisher(), clock, ids, reportNeedsAttention },
    {
      tenantId: input.tenantId,
      workOrderId: input.workOrderId,
      ...(input.failure.Error ? { error: input.failure.Error } : {}),
      ...(input.failure.Cause ? { cause: input.failure.Cause } : {}),
    },
  );
  return { status: workOrder.status };
});
