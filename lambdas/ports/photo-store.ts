import type { WorkOrderPhoto } from '../domain/work-orders/photos.ts';
import type { AuditEvent } from '../domain/work-orders/work-order.ts';

/** Photos of work orders, in the work order's item collection. */
export interface PhotoStore {
  /** Records an upload the API has handed out a form for; it stays pending until the object arrives. */
  addPending(photo: WorkOrderPhoto): Promise<void>;
  get(tenantId: string, workOrderId: string, photoId: string): Promise<WorkOrderPhoto | undefined>;
  /**
   * Marks a pending photo uploaded, with its audit event, all or nothing. False when the
   * photo is not pending (already recorded, or never handed out).
   */
  markUploaded(photo: WorkOrderPhoto, event: AuditEvent): Promise<boolean>;
  /** The uploaded photos of a work order, oldest first. */
  listUploaded(tenantId: string, workOrderId: string): Promise<WorkOrderPhoto[]>;
}
