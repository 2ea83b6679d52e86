import type { WorkOrderPhoto } from '../../../lambdas/domain/work-orders/photos.ts';
import type { AuditEvent } from '../../../lambdas/domain/work-orders/work-order.ts';
import type { PhotoStore } from '../../../lambdas/ports/photo-store.ts';

/** Photos kept in a map; `markUploaded` only changes a pending photo, as the table's condition does. */
export class InMemoryPhotoStore implements PhotoStore {
  private readonly photos = new Map<string, WorkOrderPhoto>();
  readonly listed: string[] = [];

  private static keyOf(photo: Pick<WorkOrderPhoto, 'tenantId' | 'workOrderId' | 'photoId'>) {
    return `${photo.tenantId}#${photo.workOrderId}#${photo.photoId}`;
  }

  /** Seeds a photo as an earlier upload left it. */
  put(photo: WorkOrderPhoto): this {
    this.photos.set(InMemoryPhotoStore.keyOf(photo), structuredClone(photo));
    return this;
  }

  async addPending(photo: WorkOrderPhoto): Promise<void> {
    this.put(photo);
  }

  async get(tenantId: string, workOrderId: string, photoId: string): Promise<WorkOrderPhoto | undefined> {
    const found = this.photos.get(InMemoryPhotoStore.keyOf({ tenantId, workOrderId, photoId }));
    return found ? structuredClone(found) : undefined;
  }

  async markUploaded(photo: WorkOrderPhoto, _event: AuditEvent): Promise<boolean> {
    if (this.photos.get(InMemoryPhotoStore.keyOf(photo))?.status !== 'pending') return false;
    this.put(photo);
    return true;
  }

  async listUploaded(tenantId: string, workOrderId: string): Promise<WorkOrderPhoto[]> {
    this.listed.push(workOrderId);
    return [...this.photos.values()]
      .filter(
        (photo) =>
          photo.tenantId === tenantId && photo.workOrderId === workOrderId && photo.status === 'uploaded',
      )
      .sort((first, second) => first.photoId.localeCompare(second.photoId))
      .map((photo) => structuredClone(photo));
  }
}
