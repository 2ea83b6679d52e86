import { describe, expect, it } from 'vitest';
import {
  detectImageType,
  listPhotos,
  maxPhotoBytes,
  parsePhotoKey,
  photoKey,
  recordUploadedPhoto,
  requestPhotoUpload,
  uploadProblem,
  type WorkOrderPhoto,
} from '../../../../lambdas/domain/work-orders/photos.ts';
import type { AuditEvent, WorkOrder } from '../../../../lambdas/domain/work-orders/work-order.ts';
import type { BlobStore, StoredObject, UploadForm } from '../../../../lambdas/ports/blob-store.ts';
import type { PhotoStore } from '../../../../lambdas/ports/photo-store.ts';
import type { WorkOrderStore } from '../../../../lambdas/ports/work-order-store.ts';
import { NotFoundError } from '../../../../lambdas/shared/errors.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';

const tenantId = 'ten_acme';
const workOrderId = 'wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3';
const photoId = 'pho_01JD3Q8ZV5X6Y7Z8A9B0C1D2E4';
const key = photoKey(tenantId, workOrderId, photoId);
const bucket = 'photos-bucket';

const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const webp = new TextEncoder().encode('RIFF\u0000\u0001\u0000\u0000WEBPVP8 ');
const heic = Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypheic')]);

/** Photos kept in a map; `markUploaded` only changes a pending photo, as the table's condition does. */
class InMemoryPhotoStore implements PhotoStore {
  readonly photos = new Map<string, WorkOrderPhoto>();
  readonly events: AuditEvent[] = [];
  private id = (photo: Pick<WorkOrderPhoto, 'tenantId' | 'workOrderId' | 'photoId'>) =>
    `${photo.tenantId}#${photo.workOrderId}#${photo.photoId}`;

  async addPending(photo: WorkOrderPhoto) {
    this.photos.set(this.id(photo), structuredClone(photo));
  }
  async get(tenant: string, workOrder: string, photo: string) {
    const found = this.photos.get(this.id({ tenantId: tenant, workOrderId: workOrder, photoId: photo }));
    return found ? structuredClone(found) : undefined;
  }
  async markUploaded(photo: WorkOrderPhoto, event: AuditEvent) {
    if (this.photos.get(this.id(photo))?.status !== 'pending') return false;
    this.photos.set(this.id(photo), structuredClone(photo));
    this.events.push(event);
    return true;
  }
  async listUploaded(tenant: string, workOrder: string) {
    return [...this.photos.values()].filter(
      (photo) => photo.tenantId === tenant && photo.workOrderId === workOrder && photo.status === 'uploaded',
    );
  }
}

/** One bucket in memory: objects with their metadata and bytes. */
class InMemoryBlobStore implements BlobStore {
  readonly bucketName = bucket;
  readonly objects = new Map<string, StoredObject & { bytes: Uint8Array }>();
  readonly deleted: { key: string; versionId?: string }[] = [];
  readonly forms: Parameters<BlobStore['createUploadForm']>[0][] = [];

  put(objectKey: string, bytes: Uint8Array, contentType: string, extra: Partial<StoredObject> = {}) {
    this.objects.set(objectKey, {
      bytes,
      contentType,
      size: extra.size ?? bytes.length,
      etag: '"e1"',
      ...extra,
    });
  }
  async createUploadForm(request: Parameters<BlobStore['createUploadForm']>[0]): Promise<UploadForm> {
    this.forms.push(request);
    return { url: `https://${bucket}.s3.example`, fields: { key: request.key }, expiresAt: 'later' };
  }
  async head(objectKey: string) {
    const found = this.objects.get(objectKey);
    if (!found) return undefined;
    const { bytes: _bytes, ...metadata } = found;
    return metadata;
  }
  async readStart(objectKey: string, count: number) {
    return (this.objects.get(objectKey)?.bytes ?? new Uint8Array()).subarray(0, count);
  }
  async putObject(object: { key: string; body: Uint8Array; contentType: string }) {
    this.put(object.key, object.body, object.contentType);
  }
  async delete(objectKey: string, versionId?: string) {
    this.deleted.push({ key: objectKey, ...(versionId ? { versionId } : {}) });
    this.objects.delete(objectKey);
  }
  async downloadUrl(objectKey: string, options: { expiresInSeconds: number; versionId?: string }) {
    return `https://download/${objectKey}?expires=${options.expiresInSeconds}${options.versionId ? `&v=${options.versionId}` : ''}`;
  }
}

const aWorkOrder = (overrides: Partial<WorkOrder> = {}): WorkOrder => ({
  tenantId,
  workOrderId,
  customerId: 'cus_01JD3Q8ZV5X6Y7Z8A9B0C1D2E5',
  description: 'AC blowing warm air',
  priority: 'urgent',
  status: 'dispatched',
  technicianId: 'tec_assigned',
  workflowState: 'AwaitFieldWork',
  workflowStateSince: '2025-03-12T15:00:00.000Z',
  createdBy: 'office-user',
  version: 3,
  createdAt: '2025-03-12T15:00:00.000Z',
  updatedAt: '2025-03-12T15:00:00.000Z',
  ...overrides,
});

const aPendingPhoto = (overrides: Partial<WorkOrderPhoto> = {}): WorkOrderPhoto => ({
  tenantId,
  workOrderId,
  photoId,
  key,
  phase: 'before',
  caption: 'Gate',
  contentType: 'image/jpeg',
  status: 'pending',
  declaredSize: 5000,
  uploadedBy: 'tech-user',
  uploaderRole: 'technician',
  requestedAt: '2025-03-12T15:20:00.000Z',
  expiresAt: 1_741_879_200,
  ...overrides,
});

function setup(workOrder: WorkOrder | undefined = aWorkOrder()) {
  const photos = new InMemoryPhotoStore();
  const blobs = new InMemoryBlobStore();
  const workOrders = { get: async () => workOrder } as unknown as WorkOrderStore;
  const dependencies = { workOrders, photos, blobs, clock: new SettableClock(), ids: new SequentialIds() };
  return { photos, blobs, dependencies };
}

describe('photo keys', () => {
  it('when a key is built and parsed, the same ids come back', () => {
    expect(parsePhotoKey(key)).toEqual({ tenantId, workOrderId, photoId });
  });

  it.each([
    ['another prefix', `uploads/${tenantId}/work-orders/${workOrderId}/photos/${photoId}`],
    ['a path below the photo', `${key}/extra`],
    ['a climb out of the tenant', `tenants/../work-orders/${workOrderId}/photos/${photoId}`],
    ['a photo id that is not a ULID', `tenants/${tenantId}/work-orders/${workOrderId}/photos/pho_123`],
    [
      'a work order id of another kind',
      `tenants/${tenantId}/work-orders/cus_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3/photos/${photoId}`,
    ],
    ['a signature key', `tenants/${tenantId}/work-orders/${workOrderId}/signature`],
    ['an empty key', ''],
  ])('when a key has %s, it is not a photo key', (_, candidate) => {
    expect(parsePhotoKey(candidate)).toBeUndefined();
  });
});

describe('detectImageType', () => {
  it.each([
    ['image/jpeg', jpeg],
    ['image/png', png],
    ['image/webp', webp],
    ['image/heic', heic],
  ])('when the bytes start as %s does, it says so', (type, bytes) => {
    expect(detectImageType(bytes)).toBe(type);
  });

  it.each([
    ['HTML', new TextEncoder().encode('<html><body>')],
    ['a GIF', new TextEncoder().encode('GIF89a......')],
    ['a RIFF that is not WebP', new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVE')],
    ['an MP4', Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom')])],
    ['nothing', new Uint8Array()],
  ])('when the bytes are %s, it finds no image', (_, bytes) => {
    expect(detectImageType(bytes)).toBeUndefined();
  });
});

describe('uploadProblem', () => {
  it('when type, size and bytes agree, there is no problem', () => {
    expect(
      uploadProblem({ contentType: 'image/jpeg' }, { contentType: 'image/jpeg', size: 10, firstBytes: jpeg }),
    ).toBe(undefined);
  });

  it.each([
    ['is empty', { contentType: 'image/jpeg', size: 0, firstBytes: jpeg }, /empty/],
    ['is over 10 MB', { contentType: 'image/jpeg', size: maxPhotoBytes + 1, firstBytes: jpeg }, /larger/],
    ['has another content type', { contentType: 'text/html', size: 10, firstBytes: jpeg }, /content type/],
    ['has no content type', { size: 10, firstBytes: jpeg }, /missing/],
    [
      'is a PNG announced as JPEG',
      { contentType: 'image/jpeg', size: 10, firstBytes: png },
      /bytes are image\/png/,
    ],
  ])('when the upload %s, it names the problem', (_, arrived, message) => {
    expect(uploadProblem({ contentType: 'image/jpeg' }, arrived)).toMatch(message);
  });
});

describe('requestPhotoUpload', () => {
  it('when the assigned technician asks, the photo is pending under a key built from the token and a new id, and the form is limited', async () => {
    // Arrange
    const { photos, blobs, dependencies } = setup();
    const actor = { tenantId, id: 'tech-user', role: 'technician' as const, technicianId: 'tec_assigned' };

    // Act
    const { photo } = await requestPhotoUpload(dependencies, actor, workOrderId, {
      contentType: 'image/png',
      phase: 'during',
      sizeBytes: 1234,
    });

    // Assert
    expect(photo.key).toBe(photoKey(tenantId, workOrderId, photo.photoId));
    expect(photo.photoId).toMatch(/^pho_/);
    expect(await photos.get(tenantId, workOrderId, photo.photoId)).toMatchObject({
      status: 'pending',
      uploadedBy: 'tech-user',
      uploaderRole: 'technician',
    });
    expect(blobs.forms).toEqual([
      { key: photo.key, contentType: 'image/png', maxBytes: maxPhotoBytes, expiresInSeconds: 300 },
    ]);
  });

  it('when a technician not assigned asks, the work order is not found and nothing is pending', async () => {
    const { photos, blobs, dependencies } = setup();
    const actor = { tenantId, id: 'other', role: 'technician' as const, technicianId: 'tec_other' };

    const attempt = requestPhotoUpload(dependencies, actor, workOrderId, {
      contentType: 'image/png',
      phase: 'during',
      sizeBytes: 1,
    });

    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
    expect(photos.photos.size).toBe(0);
    expect(blobs.forms).toEqual([]);
  });
});

describe('recordUploadedPhoto', () => {
  it('when a requested photo arrives intact, it is recorded once with its audit event, and a second delivery changes nothing', async () => {
    // Arrange
    const { photos, blobs, dependencies } = setup();
    await photos.addPending(aPendingPhoto());
    blobs.put(key, jpeg, 'image/jpeg', { size: 4321 });

    // Act
    const first = await recordUploadedPhoto(dependencies, { bucket, key });
    const second = await recordUploadedPhoto(dependencies, { bucket, key });

    // Assert
    expect(first.outcome).toBe('recorded');
    expect(second.outcome).toBe('duplicate');
    const recorded = await photos.get(tenantId, workOrderId, photoId);
    expect(recorded).toMatchObject({
      status: 'uploaded',
      size: 4321,
      uploadedAt: '2025-03-12T15:30:00.000Z',
    });
    expect(recorded).not.toHaveProperty('expiresAt');
    expect(photos.events).toHaveLength(1);
    expect(photos.events[0]).toMatchObject({
      action: 'photo_added',
      actorId: 'tech-user',
      actorRole: 'technician',
    });
    expect(blobs.deleted).toEqual([]);
  });

  it('when the upload is not what was asked for, it is deleted (its version) and the photo stays pending', async () => {
    const { photos, blobs, dependencies } = setup();
    await photos.addPending(aPendingPhoto());
    blobs.put(key, png, 'image/jpeg', { versionId: 'v2' });

    const outcome = await recordUploadedPhoto(dependencies, { bucket, key });

    expect(outcome).toMatchObject({ outcome: 'rejected' });
    expect(blobs.deleted).toEqual([{ key, versionId: 'v2' }]);
    expect((await photos.get(tenantId, workOrderId, photoId))?.status).toBe('pending');
    expect(photos.events).toEqual([]);
  });

  it('when an object arrives under a photo key nobody asked for, it is deleted and not recorded', async () => {
    const { photos, blobs, dependencies } = setup();
    blobs.put(key, jpeg, 'image/jpeg');

    const outcome = await recordUploadedPhoto(dependencies, { bucket, key });

    expect(outcome).toMatchObject({ outcome: 'rejected' });
    expect(blobs.deleted).toEqual([{ key }]);
    expect(photos.photos.size).toBe(0);
  });

  it.each([
    [
      'a key outside the photo pattern',
      { bucket, key: `tenants/${tenantId}/work-orders/${workOrderId}/signature` },
    ],
    ['another bucket', { bucket: 'someone-elses', key }],
  ])('when the object has %s, it is left alone and not recorded', async (_, object) => {
    const { photos, blobs, dependencies } = setup();
    await photos.addPending(aPendingPhoto());
    blobs.put(object.key, jpeg, 'image/jpeg');

    const outcome = await recordUploadedPhoto(dependencies, object);

    expect(outcome.outcome).toBe('ignored');
    expect(blobs.deleted).toEqual([]);
    expect(photos.events).toEqual([]);
  });

  it('when a recorded photo is uploaded again through its form, the new version is deleted and the recorded one stays', async () => {
    const { photos, blobs, dependencies } = setup();
    await photos.addPending(aPendingPhoto());
    blobs.put(key, jpeg, 'image/jpeg', { versionId: 'v1' });
    await recordUploadedPhoto(dependencies, { bucket, key });
    blobs.put(key, jpeg, 'image/jpeg', { versionId: 'v2' });

    const outcome = await recordUploadedPhoto(dependencies, { bucket, key });

    expect(outcome).toMatchObject({ outcome: 'rejected' });
    expect(blobs.deleted).toEqual([{ key, versionId: 'v2' }]);
    expect((await photos.get(tenantId, workOrderId, photoId))?.versionId).toBe('v1');
  });
});

describe('listPhotos', () => {
  it('when photos are listed, only uploaded ones come back, each with a 15-minute link to its recorded version', async () => {
    const { photos, blobs, dependencies } = setup();
    await photos.addPending(
      aPendingPhoto({ status: 'uploaded', versionId: 'v1', uploadedAt: '2025-03-12T15:25:00.000Z' }),
    );
    await photos.addPending(aPendingPhoto({ photoId: 'pho_01JD3Q8ZV5X6Y7Z8A9B0C1D2E9' }));
    const office = { tenantId, id: 'office-user', role: 'dispatcher' as const };

    const listed = await listPhotos(dependencies, office, workOrderId);

    expect(listed).toEqual([
      {
        photo: expect.objectContaining({ photoId }),
        downloadUrl: `https://download/${key}?expires=900&v=v1`,
        downloadUrlExpiresAt: '2025-03-12T15:45:00.000Z',
      },
    ]);
    expect(blobs.deleted).toEqual([]);
  });
});
