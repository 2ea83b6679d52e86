import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { PhotoStore } from '../../ports/photo-store.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import type { SignaturePoint } from '../execution/sign-off.ts';
import { readWorkSummary, type WorkSummary, type WorkSummarySources } from '../execution/work-summary.ts';
import type { Actor } from '../shared/actor.ts';
import { allowedActions } from '../work-orders/lifecycle.ts';
import { type ActionDependencies, performAction } from '../work-orders/perform-action.ts';
import { listPhotos } from '../work-orders/photos.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';

export type SignOffPageDependencies = WorkSummarySources & {
  workOrders: WorkOrderStore;
  photos: PhotoStore;
  blobs: BlobStore;
  clock: Clock;
};

/** A photo of the work as the sign-off page shows it, with a short-lived link to the image. */
export interface SignOffPhoto {
  photoId: string;
  phase: string;
  caption?: string;
  url: string;
}

/** The sign-off page: the work to sign while it can be signed, what was signed once it was. */
export type SignOffPage = { workOrder: WorkOrder; tenantName: string; timeZone: string } & (
  | { state: 'toSign'; summary: WorkSummary; summaryHash: string; photos: SignOffPhoto[] }
  | { state: 'signed'; signerName: string; signedAt: string }
  /** Not ready yet (the technician is still working), or past signing without a signature, or cancelled. */
  | { state: 'notOpen' }
);

/**
 * What the customer's sign-off page shows: while the work can be completed, the work summary
 * (notes, parts, labor, photos) and its hash, which the signature carries back; once signed, who
 * signed and when.
 */
export async function readSignOffPage(
  dependencies: SignOffPageDependencies,
  actor: Actor,
): Promise<SignOffPage> {
  const workOrder = await getWorkOrder(dependencies.workOrders, actor, actor.workOrderId ?? '');
  const tenant = await dependencies.directory.getTenant(workOrder.tenantId);
  const tenantName = tenant?.name ?? '';
  const timeZone = tenant?.timeZone ?? 'UTC';
  if (workOrder.signature) {
    return {
      state: 'signed',
      workOrder,
      tenantName,
      timeZone,
      signerName: workOrder.signature.signerName,
      signedAt: workOrder.signature.signedAt,
    };
  }
  if (!allowedActions(workOrder, actor).includes('complete')) {
    return { state: 'notOpen', workOrder, tenantName, timeZone };
  }
  const [reading, photos] = await Promise.all([
    readWorkSummary(dependencies, actor, workOrder.workOrderId),
    listPhotos(dependencies, actor, workOrder.workOrderId),
  ]);
  return {
    state: 'toSign',
    workOrder,
    tenantName,
    timeZone,
    summary: reading.summary,
    summaryHash: reading.summaryHash,
    photos: photos.map(({ photo, downloadUrl }) => ({
      photoId: photo.photoId,
      phase: photo.phase,
      ...(photo.caption ? { caption: photo.caption } : {}),
      url: downloadUrl,
    })),
  };
}

/**
 * The customer signs the summary they were shown: the work order's completion with their
 * signature, through the same gates as the technician's (notes, labor, no running timer) and the
 * same check that the summary is still the work's (409 if it changed).
 */
export async function signWork(
  dependencies: ActionDependencies,
  actor: Actor,
  signature: { signerName: string; summaryHash: string; strokes?: SignaturePoint[][] },
): Promise<WorkOrder> {
  return performAction(dependencies, actor, actor.workOrderId ?? '', { action: 'complete', signature });
}
