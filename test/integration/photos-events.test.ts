import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localCredentials, localRegion } from '../../lib/local/emulators.ts';
import { lambdaContext } from '../../lib/local/gateway.ts';
import { toS3Event } from '../../lib/local/object-events.ts';
import { aTenant, aWorkOrderRequest } from '../fixtures/tenants.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

/** The photo function as Lambda runs it, pointed at the platform's emulators from this worker. */
async function photoUploadedHandler() {
  Object.assign(process.env, {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    AWS_ENDPOINT_URL_S3: inject('s3Endpoint'),
    TABLE_NAME: inject('tableName'),
    BUCKET_NAME: inject('bucketName'),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const module = await import('../../lambdas/handlers/events/photo-uploaded.ts');
  return (event: unknown) =>
    module.handler(event, lambdaContext('PhotoUploadedFunction')) as Promise<{
      outcomes: { key: string; outcome: string }[];
    }>;
}

describe('photo upload events', () => {
  let invoke: Awaited<ReturnType<typeof photoUploadedHandler>>;

  beforeAll(async () => {
    invoke = await photoUploadedHandler();
  });

  it('when S3 delivers the same object-created event again, the photo stays recorded once with one audit event', async () => {
    // Arrange: a photo uploaded through its form, recorded by the platform's own delivery.
    const tenant = await aTenant(entities);
    const dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    const created = await api<{ id: string }>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant),
    });
    const workOrderId = created.body.id;
    const requested = await api<{ id: string; upload: { url: string; fields: Record<string, string> } }>(
      'POST',
      `/v1/work-orders/${workOrderId}/photos`,
      { token: dispatcher, body: { contentType: 'image/jpeg', phase: 'before', sizeBytes: 600 } },
    );
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(596)]);
    const form = new FormData();
    for (const [name, value] of Object.entries(requested.body.upload.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'photo.jpg');
    await fetch(requested.body.upload.url, { method: 'POST', body: form });
    const photoId = requested.body.id;
    const key = `tenants/${tenant.tenantId}/work-orders/${workOrderId}/photos/${photoId}`;
    await eventually(async () => {
      const { data } = await entities.workOrderPhoto
        .get({ tenantId: tenant.tenantId, workOrderId, photoId })
        .go();
      return data?.status === 'uploaded' ? data : undefined;
    });
    const event = toS3Event(
      {
        eventName: 'ObjectCreated:Post',
        s3: { bucket: { name: inject('bucketName') }, object: { key, size: 600 } },
      },
      localRegion,
    );

    // Act
    const redelivered = await invoke(event);

    // Assert
    expect(redelivered.outcomes).toEqual([{ key, outcome: 'duplicate' }]);
    const events = await entities.workOrderEvent.query
      .byWorkOrder({ tenantId: tenant.tenantId, workOrderId })
      .go();
    expect(events.data.filter((audit) => audit.action === 'photo_added')).toHaveLength(1);
    const list = await api<{ items: { id: string }[] }>('GET', `/v1/work-orders/${workOrderId}/photos`, {
      token: dispatcher,
    });
    expect(list.body.items.map((item) => item.id)).toEqual([photoId]);
  });

  it('when an event names a key outside the photo pattern or another bucket, it is left alone', async () => {
    const outside = toS3Event(
      {
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: inject('bucketName') }, object: { key: 'tenants/ten_x/notes/readme.txt' } },
      },
      localRegion,
    );
    const foreign = toS3Event(
      {
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: 'someone-elses-bucket' }, object: { key: 'x' } },
      },
      localRegion,
    );

    expect((await invoke(outside)).outcomes).toEqual([
      { key: 'tenants/ten_x/notes/readme.txt', outcome: 'ignored' },
    ]);
    expect((await invoke(foreign)).outcomes).toEqual([{ key: 'x', outcome: 'ignored' }]);
  });
});
