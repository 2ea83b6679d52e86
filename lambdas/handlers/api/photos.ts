import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  blobStore,
  clock,
  idempotencyStore,
  ids,
  photoStore,
  tenantWriteLimiter,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import {
  listPhotos,
  maxPhotoBytes,
  type PhotoWithDownload,
  requestPhotoUpload,
} from '../../domain/work-orders/photos.ts';
import { stageOf } from '../../schemas/photos.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { metrics } from '../../shared/powertools.ts';
import { photoRoutes } from './photo-routes.ts';

/** The API's view of an uploaded photo: no tenant, no storage key. */
const toPhotoView = ({ photo, downloadUrl, downloadUrlExpiresAt }: PhotoWithDownload) => ({
  id: photo.photoId,
  stage: photo.phase,
  phase: photo.phase,
  ...(photo.caption ? { caption: photo.caption } : {}),
  contentType: photo.contentType,
  sizeBytes: photo.size ?? photo.declaredSize,
  uploadedBy: photo.uploadedBy,
  uploadedAt: photo.uploadedAt ?? photo.requestedAt,
  downloadUrl,
  downloadUrlExpiresAt,
});

const dependencies = () => ({
  workOrders: workOrderStore(),
  photos: photoStore(),
  blobs: blobStore(),
  clock,
  ids,
});

export const handler = apiHandler(
  'photos',
  photoRoutes,
  {
    requestPhotoUpload: async ({ actor, params, body }) => {
      const { photo, upload } = await requestPhotoUpload(dependencies(), actor, params.id, {
        contentType: body.contentType,
        phase: stageOf(body),
        sizeBytes: body.sizeBytes,
        ...(body.caption ? { caption: body.caption } : {}),
      });
      metrics.addMetric('PhotoUploadsRequested', MetricUnit.Count, 1);
      return {
        status: 201,
        body: { id: photo.photoId, upload: { method: 'POST', ...upload, maxBytes: maxPhotoBytes } },
      };
    },
    listPhotos: async ({ actor, params }) => ({
      status: 200,
      body: { items: (await listPhotos(dependencies(), actor, params.id)).map(toPhotoView) },
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
