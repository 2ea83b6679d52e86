import type { WorkOrderPhoto } from '../../domain/work-orders/photos.ts';
import type { AuditEvent } from '../../domain/work-orders/work-order.ts';
import type { PhotoStore } from '../../ports/photo-store.ts';
import { sameAs } from './conditions.ts';
import type { Entities } from './entities.ts';

const stillPending = sameAs('status', 'pending');
const isUploaded = sameAs('status', 'uploaded');

/** Photos as `workOrderPhoto` items in the work order's item collection. */
export class DynamoPhotoStore implements PhotoStore {
  constructor(private readonly entities: Entities) {}

  async addPending(photo: WorkOrderPhoto): Promise<void> {
    await this.entities.workOrderPhoto.create(photo).go();
  }

  async get(tenantId: string, workOrderId: string, photoId: string): Promise<WorkOrderPhoto | undefined> {
    const { data } = await this.entities.workOrderPhoto
      .get({ tenantId, workOrderId, photoId })
      .go({ consistent: true });
    return (data as WorkOrderPhoto | null) ?? undefined;
  }

  async markUploaded(photo: WorkOrderPhoto, event: AuditEvent): Promise<boolean> {
    const { tenantId, workOrderId, photoId } = photo;
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.workOrderPhoto
          .patch({ tenantId, workOrderId, photoId })
          .set({
            status: 'uploaded',
            size: photo.size ?? 0,
            uploadedAt: photo.uploadedAt ?? event.at,
            ...(photo.etag ? { etag: photo.etag } : {}),
            ...(photo.versionId ? { versionId: photo.versionId } : {}),
          })
          .remove(['expiresAt'])
          .where(stillPending as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return !result.canceled;
  }

  async listUploaded(tenantId: string, workOrderId: string): Promise<WorkOrderPhoto[]> {
    const { data } = await this.entities.workOrderPhoto.query
      .byWorkOrder({ tenantId, workOrderId })
      .where(isUploaded as never)
      .go({ pages: 'all' });
    return data as WorkOrderPhoto[];
  }
}
