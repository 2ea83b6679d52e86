import { z } from 'zod';
import {
  maxPhotoBytes,
  type PhotoPhase,
  photoContentTypes,
  photoPhases,
} from '../domain/work-orders/photos.ts';
import { isoDateTime, prefixedId } from './common.ts';

export const photoId = prefixedId('pho');

const photoStage = z
  .enum(photoPhases)
  .meta({ description: 'When in the job the photo was taken: before, during or after the work' });

export const requestPhotoUploadBody = z
  .object({
    contentType: z.enum(photoContentTypes),
    stage: photoStage.optional(),
    phase: z
      .enum(photoPhases)
      .optional()
      .meta({ deprecated: true, description: 'The earlier name of stage; give stage' }),
    caption: z.string().trim().max(500).optional(),
    sizeBytes: z.number().int().positive().max(maxPhotoBytes, `at most ${maxPhotoBytes} bytes (10 MB)`),
  })
  .strict()
  .superRefine((body, context) => {
    if (body.stage === undefined && body.phase === undefined) {
      context.addIssue({ code: 'custom', path: ['stage'], message: 'required: before, during or after' });
    }
    if (body.stage !== undefined && body.phase !== undefined && body.stage !== body.phase) {
      context.addIssue({ code: 'custom', path: ['phase'], message: 'differs from stage; give stage only' });
    }
  })
  .meta({ id: 'RequestPhotoUpload' });

/** The stage tag of an upload request (`stage`, or the older `phase`; the schema requires one). */
export const stageOf = (body: { stage?: PhotoPhase; phase?: PhotoPhase }): PhotoPhase =>
  body.stage ?? body.phase ?? 'during';

export const photoUploadView = z
  .object({
    id: photoId,
    upload: z
      .object({
        method: z.literal('POST'),
        url: z.string(),
        /** Sent as multipart/form-data fields, in this order, followed by the `file` field. */
        fields: z.record(z.string(), z.string()),
        expiresAt: isoDateTime,
        maxBytes: z.number().int(),
      })
      .meta({ description: 'A presigned S3 POST: send the fields, then the file as the last field' }),
  })
  .meta({ id: 'PhotoUpload' });

export const photoView = z
  .object({
    id: photoId,
    stage: photoStage,
    phase: z.enum(photoPhases).meta({ deprecated: true, description: 'The same as stage' }),
    caption: z.string().optional(),
    contentType: z.enum(photoContentTypes),
    sizeBytes: z.number().int(),
    uploadedBy: z.string(),
    uploadedAt: isoDateTime,
    downloadUrl: z.string(),
    downloadUrlExpiresAt: isoDateTime,
  })
  .meta({ id: 'Photo' });

/**
 * S3 event notification keys are URL-encoded, with `+` for spaces. A key that does not decode
 * is kept as it came: it cannot be a photo key then, and is left alone.
 */
export function decodeS3Key(key: string): string {
  try {
    return decodeURIComponent(key.replaceAll('+', ' '));
  } catch {
    return key;
  }
}

const s3NotificationRecord = z.object({
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.number().optional() }),
  }),
});

/** An S3 event notification (what the bucket sends, and what the local runtime builds). */
export const s3NotificationEvent = z.object({ Records: z.array(s3NotificationRecord) });

/** The same through EventBridge (`Object Created` from `aws.s3`); its key is not URL-encoded. */
export const s3EventBridgeEvent = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.string(),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.number().optional() }),
  }),
});

export const objectCreatedEvent = z.union([s3NotificationEvent, s3EventBridgeEvent]);

/** The created objects an event names, with their keys decoded; other event types are left out. */
export function createdObjects(event: z.infer<typeof objectCreatedEvent>): { bucket: string; key: string }[] {
  if ('Records' in event) {
    return event.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map((record) => ({
      bucket: record.s3.bucket.name,
      key: decodeS3Key(record.s3.object.key),
    }));
  }
  if (event['detail-type'] !== 'Object Created') return [];
  return [{ bucket: event.detail.bucket.name, key: event.detail.object.key }];
}
