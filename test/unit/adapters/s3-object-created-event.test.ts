import { describe, expect, it } from 'vitest';
import { createdObjects, decodeS3Key, objectCreatedEvent } from '../../../lambdas/schemas/photos.ts';

const key =
  'tenants/ten_acme/work-orders/wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3/photos/pho_01JD3Q8ZV5X6Y7Z8A9B0C1D2E4';

const aRecord = (eventName: string, objectKey: string) => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  eventName,
  s3: { bucket: { name: 'photos', arn: 'arn:aws:s3:::photos' }, object: { key: objectKey, size: 10 } },
});

describe('S3 object-created events', () => {
  it('when an S3 notification arrives, each created object is named with its key decoded, removals left out', () => {
    const event = objectCreatedEvent.parse({
      Records: [
        aRecord('ObjectCreated:Post', key),
        aRecord('ObjectCreated:Put', 'tenants/ten_acme/a+photo%281%29.jpg'),
        aRecord('ObjectRemoved:Delete', key),
      ],
    });

    expect(createdObjects(event)).toEqual([
      { bucket: 'photos', key },
      { bucket: 'photos', key: 'tenants/ten_acme/a photo(1).jpg' },
    ]);
  });

  it('when the same arrives through EventBridge, the object is named too', () => {
    const event = objectCreatedEvent.parse({
      version: '0',
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: { bucket: { name: 'photos' }, object: { key, size: 10 }, reason: 'PostObject' },
    });

    expect(createdObjects(event)).toEqual([{ bucket: 'photos', key }]);
  });

  it('when a key does not decode, it is kept as it came', () => {
    expect(decodeS3Key('tenants/%E0%A4%A')).toBe('tenants/%E0%A4%A');
  });

  it('when the event is of another shape, it does not parse', () => {
    expect(objectCreatedEvent.safeParse({ detail: {} }).success).toBe(false);
  });
});
