import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import { ConflictError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { getWorkOrder } from '../work-orders/queries.ts';

// Apart from the rendering (completion-report.ts), so the API's link does not load pdf-lib.

export const completionReportContentType = 'application/pdf';
/** Download links last fifteen minutes, as photo links do. */
export const completionReportLinkSeconds = 15 * 60;

/** Where a work order's completion report lives: one per work order, under its tenant's prefix. */
export const completionReportKey = (tenantId: string, workOrderId: string): string =>
  `tenants/${tenantId}/work-orders/${workOrderId}/completion-report.pdf`;

export interface CompletionReportLink {
  url: string;
  expiresAt: string;
}

/**
 * A time-limited link to the work order's completion report, for the office or the assigned
 * technician; 409 while the workflow has not written it yet.
 */
export async function completionReportLink(
  dependencies: { workOrders: WorkOrderStore; blobs: Pick<BlobStore, 'downloadUrl'>; clock: Clock },
  actor: Actor,
  workOrderId: string,
): Promise<CompletionReportLink> {
  const workOrder = await getWorkOrder(dependencies.workOrders, actor, workOrderId);
  if (!workOrder.completionReportKey) {
    throw new ConflictError('The completion report has not been written yet', {
      currentStatus: workOrder.status,
      workflowState: workOrder.workflowState,
    });
  }
  const url = await dependencies.blobs.downloadUrl(workOrder.completionReportKey, {
    expiresInSeconds: completionReportLinkSeconds,
  });
  const expiresAt = new Date(dependencies.clock.now().getTime() + completionReportLinkSeconds * 1000);
  return { url, expiresAt: expiresAt.toISOString() };
}
