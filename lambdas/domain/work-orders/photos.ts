import type { BlobStore, UploadForm } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { PhotoStore } from '../../ports/photo-store.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Actor } from '../shared/actor.ts';
import { getWorkOrder } from './queries.ts';
import type { AuditEvent } from './work-order.ts';

export const photoContentTypes = ['image/jpeg', 'image/png', 'image/heic', 'image/webp'] as const;
export type PhotoContentType = (typeof photoContentTypes)[number];
export const photoPhases = ['before', 'during', 'after'] as const;
export type PhotoPhase = (typeof photoPhases)[number];

/** The largest photo the bucket accepts: 10 MB. */
export const maxPhotoBytes = 10 * 1024 * 1024;
/** An upload form is good for five minutes: enough to send a phone photo, short enough to leak little. */
export const uploadFormSeconds = 5 * 60;
/** Download links last fifteen minutes; a client asks the list again for fresh ones. */
export const downloadUrlSeconds = 15 * 60;
/** A requested upload that never arrives is forgotten (DynamoDB TTL) after a day. */
export const pendingPhotoSeconds = 24 * 60 * 60;

export interface WorkOrderPhoto {
  tenantId: string;
  workOrderId: string;
  photoId: string;
  key: string;
  phase: PhotoPhase;
  caption?: string;
  contentType: PhotoContentType;
  /** `pending` from the upload form until the object arrives and passes the checks. */
  status: 'pending' | 'uploaded';
  /** The size the client announced; `size` is what arrived. */
  declaredSize: number;
  size?: number;
  uploadedBy: string;
  uploaderRole: string;
  requestedAt: string;
  uploadedAt?: string;
  etag?: string;
  versionId?: string;
  /** Epoch seconds after which a pending photo is deleted by TTL; absent once uploaded. */
  expiresAt?: number;
}

const ulidPattern = '[0-9A-HJKMNP-TV-Z]{26}';
const photoKeyPattern = new RegExp(
  `^tenants/([A-Za-z0-9_-]{1,64})/work-orders/(wo_${ulidPattern})/photos/(pho_${ulidPattern})$`,
);

/** Where a photo lives in the bucket: built from the verified tenant and ids, never from the client. */
export const photoKey = (tenantId: string, workOrderId: string, photoId: string): string =>
  `tenants/${tenantId}/work-orders/${workOrderId}/photos/${photoId}`;

export interface PhotoKeyParts {
  tenantId: string;
  workOrderId: string;
  photoId: string;
}

/** The ids in a photo's key; undefined for any key that is not exactly a photo key. */
export function parsePhotoKey(key: string): PhotoKeyParts | undefined {
  const match = photoKeyPattern.exec(key);
  if (!match) return undefined;
  const [, tenantId = '', workOrderId = '', photoId = ''] = match;
  return { tenantId, workOrderId, photoId };
}

/** Bytes a file must start with to be what it claims; only the first 12 are ever needed. */
export const signatureBytes = 12;

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, end));
const heifBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** The image type the bytes are, by their magic numbers, or undefined for anything else. */
export function detectImageType(bytes: Uint8Array): PhotoContentType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((byte, index) => bytes[index] === byte)) return 'image/png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP')
    return 'image/webp';
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp' && heifBrands.has(ascii(bytes, 8, 12)))
    return 'image/heic';
  return undefined;
}

/** Why an arrived object is not the photo that was asked for; undefined when it is. */
export function uploadProblem(
  expected: Pick<WorkOrderPhoto, 'contentType'>,
  arrived: { contentType?: string; size: number; firstBytes: Uint8Array },
): string | undefined {
  if (arrived.size <= 0) return 'the file is empty';
  if (arrived.size > maxPhotoBytes) return `the file is larger than ${maxPhotoBytes} bytes`;
  const declared = arrived.contentType?.split(';')[0]?.trim().toLowerCase();
  if (declared !== expected.contentType)
    return `the content type is ${declared ?? 'missing'}, not ${expected.contentType}`;
  const detected = detectImageType(arrived.firstBytes);
  if (detected !== expected.contentType)
    return `the bytes are ${detected ?? 'not an image'}, not ${expected.contentType}`;
  return undefined;
}

export interface PhotoUploadRequest {
  contentType: PhotoContentType;
  phase: PhotoPhase;
  caption?: string;
  sizeBytes: number;
}

export interface PhotoDependencies {
  workOrders: WorkOrderStore;
  photos: PhotoStore;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * Hands out a form that uploads one photo of a work order straight to the bucket.
 * 1. The work order must be visible to the actor (office, or the assigned technician).
 * 2. The key is built from the verified tenant and a new photo id.
 * 3. The photo is remembered as pending (who, which phase, which type), then the form is signed
 *    with the key, the content type and the size range as conditions.
 */
export async function requestPhotoUpload(
  dependencies: PhotoDependencies,
  actor: Actor,
  workOrderId: string,
  request: PhotoUploadRequest,
): Promise<{ photo: WorkOrderPhoto; upload: UploadForm }> {
  const { workOrders, photos, blobs, clock, ids } = dependencies;
  await getWorkOrder(workOrders, actor, workOrderId);
  const now = clock.now();
  const photoId = ids.next('pho');
  const photo: WorkOrderPhoto = {
    tenantId: actor.tenantId,
    workOrderId,
    photoId,
    key: photoKey(actor.tenantId, workOrderId, photoId),
    phase: request.phase,
    ...(request.caption ? { caption: request.caption } : {}),
    contentType: request.contentType,
    status: 'pending',
    declaredSize: request.sizeBytes,
    uploadedBy: actor.id,
    uploaderRole: actor.role,
    requestedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + pendingPhotoSeconds,
  };
  await photos.addPending(photo);
  const upload = await blobs.createUploadForm({
    key: photo.key,
    contentType: photo.contentType,
    maxBytes: maxPhotoBytes,
    expiresInSeconds: uploadFormSeconds,
  });
  return { photo, upload };
}

export type UploadOutcome =
  | { outcome: 'recorded'; photo: WorkOrderPhoto }
  | { outcome: 'duplicate'; photo: WorkOrderPhoto }
  /** Not a photo upload of ours: left alone, not recorded. */
  | { outcome: 'ignored'; reason: string }
  /** A photo key with an object that must not stay: deleted, not recorded. */
  | { outcome: 'rejected'; reason: string };

/**
 * Records a photo once its object has arrived in the bucket. Safe to run twice for one event.
 * 1. Only photo keys of our bucket are considered; any other key is left alone.
 * 2. The upload must have been handed out (a pending photo); an object nobody asked for is deleted.
 * 3. Type, size and the first bytes are checked; a bad upload is deleted and stays pending, so
 *    the form may be used again while it lasts.
 * 4. The photo becomes `uploaded` with its audit event; if it already was, nothing changes.
 */
export async function recordUploadedPhoto(
  dependencies: Pick<PhotoDependencies, 'photos' | 'blobs' | 'clock' | 'ids'>,
  object: { bucket: string; key: string },
): Promise<UploadOutcome> {
  const { photos, blobs, clock, ids } = dependencies;
  if (object.bucket !== blobs.bucketName) return { outcome: 'ignored', reason: 'another bucket' };
  const parts = parsePhotoKey(object.key);
  if (!parts) return { outcome: 'ignored', reason: 'not a photo key' };
  const stored = await blobs.head(object.key);
  if (!stored) return { outcome: 'ignored', reason: 'the object is gone' };

  const photo = await photos.get(parts.tenantId, parts.workOrderId, parts.photoId);
  if (!photo) {
    await blobs.delete(object.key, stored.versionId);
    return { outcome: 'rejected', reason: 'no upload was requested for this key' };
  }
  if (photo.status === 'uploaded') {
    // The same event again, or a second upload through a form still valid: the recorded version stays.
    if (stored.versionId && photo.versionId && stored.versionId !== photo.versionId) {
      await blobs.delete(object.key, stored.versionId);
      return { outcome: 'rejected', reason: 'the photo was already uploaded' };
    }
    return { outcome: 'duplicate', photo };
  }

  const firstBytes = await blobs.readStart(object.key, signatureBytes, stored.versionId);
  const problem = uploadProblem(photo, { ...stored, firstBytes });
  if (problem) {
    await blobs.delete(object.key, stored.versionId);
    return { outcome: 'rejected', reason: problem };
  }

  const at = clock.now().toISOString();
  const { expiresAt: _pendingUntil, ...requested } = photo;
  const uploaded: WorkOrderPhoto = {
    ...requested,
    status: 'uploaded',
    size: stored.size,
    uploadedAt: at,
    ...(stored.etag ? { etag: stored.etag } : {}),
    ...(stored.versionId ? { versionId: stored.versionId } : {}),
  };
  const event: AuditEvent = {
    tenantId: photo.tenantId,
    workOrderId: photo.workOrderId,
    eventId: ids.next('evt'),
    action: 'photo_added',
    actorId: photo.uploadedBy,
    actorRole: photo.uploaderRole,
    at,
    changes: {
      photo: {
        after: {
          photoId: photo.photoId,
          phase: photo.phase,
          ...(photo.caption ? { caption: photo.caption } : {}),
          contentType: photo.contentType,
          size: stored.size,
        },
      },
    },
  };
  if (await photos.markUploaded(uploaded, event)) return { outcome: 'recorded', photo: uploaded };
  // Another delivery of the same event got there first.
  const current = await photos.get(parts.tenantId, parts.workOrderId, parts.photoId);
  if (current?.status === 'uploaded') return { outcome: 'duplicate', photo: current };
  throw new Error(`Photo ${parts.photoId} could not be recorded`);
}

export interface PhotoWithDownload {
  photo: WorkOrderPhoto;
  downloadUrl: string;
  downloadUrlExpiresAt: string;
}

/** The uploaded photos of a work order the actor may see, each with a short-lived download link. */
export async function listPhotos(
  dependencies: Pick<PhotoDependencies, 'workOrders' | 'photos' | 'blobs' | 'clock'>,
  actor: Actor,
  workOrderId: string,
): Promise<PhotoWithDownload[]> {
  const { workOrders, photos, blobs, clock } = dependencies;
  await getWorkOrder(workOrders, actor, workOrderId);
  const uploaded = await photos.listUploaded(actor.tenantId, workOrderId);
  const expiresAt = new Date(clock.now().getTime() + downloadUrlSeconds * 1000).toISOString();
  return Promise.all(
    uploaded.map(async (photo) => ({
      photo,
      downloadUrl: await blobs.downloadUrl(photo.key, {
        expiresInSeconds: downloadUrlSeconds,
        ...(photo.versionId ? { versionId: photo.versionId } : {}),
      }),
      downloadUrlExpiresAt: expiresAt,
    })),
  );
}
