import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { blobStore, clock, ids, photoStore } from '../../adapters/dependencies.ts';
import { recordUploadedPhoto } from '../../domain/work-orders/photos.ts';
import { createdObjects, objectCreatedEvent } from '../../schemas/photos.ts';
import { withPowertools } from '../../shared/middleware.ts';
import { logger, metrics } from '../../shared/powertools.ts';

/**
 * An object was created in the bucket (an S3 notification, the same through EventBridge, or
 * the local runtime's copy of one): each photo is checked and recorded, or deleted. An error
 * fails the invocation, so Lambda retries it and finally parks it in the dead-letter queue;
 * recording is idempotent, so a retry of a half-done batch is safe.
 */
export const handler = withPowertools(async (event: unknown) => {
  const objects = createdObjects(objectCreatedEvent.parse(event));
  const outcomes = [];
  for (const object of objects) {
    const result = await recordUploadedPhoto(
      { photos: photoStore(), blobs: blobStore(), clock, ids },
      object,
    );
    if (result.outcome === 'rejected') {
      logger.warn('Upload refused and deleted', { key: object.key, reason: result.reason });
      metrics.addMetric('PhotoUploadsRefused', MetricUnit.Count, 1);
    } else if (result.outcome === 'ignored') {
      logger.info('Object left alone', { key: object.key, reason: result.reason });
    } else if (result.outcome === 'recorded') {
      metrics.addMetric('PhotosRecorded', MetricUnit.Count, 1);
    }
    outcomes.push({ key: object.key, outcome: result.outcome });
  }
  return { outcomes };
});
